"""Test connection: build the plugin through the pipeline, load it with Dify's SDK in a
subprocess and call the user's API with the credentials they typed, under the outbound guard.

The credentials live in this process's memory and the subprocess's stdin only; what comes back
(the checks) holds none of them: every secret value is masked in the messages.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import outbound
from ..archive import write_tree
from ..credential_roles import endpoint_from
from ..findings import summary
from ..package import packaged_files
from ..pipeline import run_pipeline
from ..plugin_env import plugin_env
from ..sdk_check import runner_environment, sdk_python
from ..spec import DesignSpec
from .plan import TryoutInputError, checked_credentials, plan, secret_values

RUNNER = Path(__file__).with_name("runner.py")
RESULTS_NAME = "checks.json"
STDERR_NAME = "stderr.txt"
DEFAULT_CALL_TIME_LIMIT = 30.0
LOAD_TIME_LIMIT = 120.0
STDERR_TAIL = 800


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    latency_ms: int | None = None
    usage: dict | None = None  # input/output/total tokens, cost and currency from the pricing
    error_type: str | None = None  # authorization, rate limit, unavailable, bad request, ...
    message: str = ""  # the provider's (or the guard's) words, secrets masked
    detail: str = ""  # what came back when it worked

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def line(self) -> str:
        """``ok NAME`` or ``FAIL NAME: why``, as the command prints it."""
        if self.ok:
            return f"ok {self.name}"
        kind = f"{self.error_type}: " if self.error_type else ""
        return f"FAIL {self.name}: {kind}{self.message}"


def check_from(result: Mapping[str, Any]) -> Check:
    fields = Check.__dataclass_fields__
    return Check(**{k: v for k, v in result.items() if k in fields})


def buildable_spec(document: Mapping[str, Any] | DesignSpec) -> tuple[DesignSpec, dict]:
    """The spec and the files Dify would install, through the one pipeline; errors refuse."""
    result = run_pipeline(document)
    if not result.report.ok or result.report.spec is None:
        raise TryoutInputError(f"the design has errors: {summary(result.report.errors)}")
    return result.report.spec, packaged_files(result.files)


def endpoint_check(spec: DesignSpec, credentials: dict, allowed: outbound.Allowed) -> Check:
    url = endpoint_from(spec, credentials)
    if not url:
        return Check("endpoint", True, detail="none: the plugin's code chooses where to call")
    try:
        outbound.check_url(url, allowed)
    except outbound.OutboundRefused as error:
        return Check("endpoint", False, error_type="refused", message=str(error))
    return Check("endpoint", True, detail=url)


def check_connection(
    document: Mapping[str, Any] | DesignSpec,
    credentials: Any,
    models: Sequence[Any] | None = None,
    *,
    allowed_hosts: str | None = None,
    call_time_limit: float = DEFAULT_CALL_TIME_LIMIT,
    total_time_limit: float | None = None,
) -> list[Check]:
    """Every check, in order: the endpoint, validate_credentials, then the model calls.

    Bad input (an invalid design, an unknown model, a malformed variable) is TryoutInputError;
    anything the plugin or the API does is a failed check."""
    credentials = checked_credentials(credentials)
    if allowed_hosts is None:
        allowed_hosts = os.environ.get(outbound.ALLOWED_HOSTS_VARIABLE, "")
    try:
        allowed = outbound.parse_allowed(allowed_hosts)
    except ValueError as error:
        raise TryoutInputError(str(error)) from None
    spec, files = buildable_spec(document)
    checks = plan(spec, models)
    endpoint = endpoint_check(spec, credentials, allowed)
    if not endpoint.ok:
        return [endpoint]
    request = {
        "outbound": outbound.__file__,
        "allowed": allowed_hosts,
        "time_limit": call_time_limit,
        "credentials": credentials,
        "secrets": secret_values(spec, credentials),
        "checks": checks,
    }
    timeout = LOAD_TIME_LIMIT + call_time_limit * len(checks)
    if total_time_limit is not None:
        timeout = min(timeout, total_time_limit)
    return [endpoint, *run_in_subprocess(files, request, timeout)]


def run_in_subprocess(files: Mapping[str, bytes], request: dict, timeout: float) -> list[Check]:
    python = plugin_env(files, sdk_python()).python or sdk_python()
    with tempfile.TemporaryDirectory(prefix="tryout-") as work:
        plugin, results = Path(work) / "plugin", Path(work) / RESULTS_NAME
        write_tree(files, plugin)
        failure = start_runner(python, plugin, results, request, timeout)
        if failure is not None:
            return [Check("load", False, error_type="plugin error", message=failure)]
        try:
            return [check_from(r) for r in json.loads(results.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError):
            message = with_stderr("the test run wrote no results", Path(work), request)
            return [Check("load", False, error_type="plugin error", message=message)]


def start_runner(
    python: str, plugin: Path, results: Path, request: dict, timeout: float
) -> str | None:
    """Run runner.py with the request on stdin; why it failed, or None."""
    command = [python, "-I", "-B", str(RUNNER), str(results)]
    with (plugin.parent / STDERR_NAME).open("wb") as stderr:
        try:
            completed = subprocess.run(
                command,
                cwd=plugin,
                env=runner_environment(),
                input=json.dumps(request).encode(),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"the test run took longer than {timeout:g}s"
        except OSError as error:
            return f"cannot start {python}: {error}"
    if completed.returncode != 0:
        message = f"the test run exited with code {completed.returncode}"
        return with_stderr(message, plugin.parent, request)
    return None


def with_stderr(message: str, work: Path, request: dict) -> str:
    """`message` and the last line the runner wrote to stderr (a traceback's verdict)."""
    try:
        text = (work / STDERR_NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return message
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return message
    last = lines[-1][:STDERR_TAIL]
    for secret in request["secrets"]:
        last = last.replace(secret, "***")
    return f"{message}: {last}"
