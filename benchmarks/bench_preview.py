"""Server time and bytes written of one keystroke in the model editor, for plugins of 1, 25,
100 and 250 models (issue 10): the autosave request as the browser sends it (the whole model
form first, then the fields changed since the last save: static/js/designer.js), handed to
the WSGI application a server loads (designer/wsgi.py: middleware, session, access check,
form -> spec, draft saved, the plugin validated, the model's file rendered and highlighted, the
partial rendered), until the response's last byte.
The bigger plugins are the official anthropic plugin's model files, repeated under new ids.

Targets: p95 <= 5 ms at every size; at 250 models no more than 1.5x the 1-model p95; at most
64 KB written to the database per keystroke at 250 models.

    .venv/bin/python benchmarks/bench_preview.py [--requests 300] [--sizes 1,25,100,250]
        [--whole-form]   (every keystroke posts the whole form, as a page without script does)
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from designer.accounts.models import Membership, Role, Team  # noqa: E402
from designer.core.parse import import_plugin  # noqa: E402
from designer.projects.models import Project  # noqa: E402
from designer.wsgi import application  # noqa: E402  (as the server loads it)

FIXTURE = ROOT.parent / "shared" / "fixtures" / "dify-official-plugins" / "anthropic"
FORM = "application/x-www-form-urlencoded"
TARGET_P95_MS, TARGET_RATIO, TARGET_BYTES = 5.0, 1.5, 64 * 1024


def plugin_of(size: int) -> dict:
    """The anthropic plugin with ``size`` llm models (its own, then copies under new ids)."""
    document = import_plugin(FIXTURE).to_document()
    originals = [m for m in document["models"] if m["model_type"] == "llm"]
    models = []
    for i in range(size):
        model = dict(originals[i % len(originals)])
        if i >= len(originals):
            model = {**model, "model": f"{model['model']}-copy{i}"}
            model.pop("path", None)
        models.append(model)
    document["models"] = models
    document["positions"] = {}
    return document


def form_fields(model: dict, base: str) -> list[tuple[str, str]]:
    """The inputs the model editor posts for ``model`` (named by spec path)."""
    fields = [("_lists", f"{base}.parameter_rules")]

    def add(value, path):
        if isinstance(value, dict):
            for key, child in value.items():
                add(child, f"{path}.{key}")
        elif isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                fields.extend((f"{path}:list", v) for v in value)
            else:
                for i, child in enumerate(value):
                    add(child, f"{path}[{i}]")
        elif isinstance(value, bool):
            fields.append((f"{path}:bool", "true" if value else "false"))
        elif isinstance(value, int | float):
            fields.append((f"{path}:number", str(value)))
        elif value is not None:
            fields.append((path, str(value)))

    for key in ("label", "features", "model_properties", "pricing"):
        if key in model:
            add(model[key], f"{base}.{key}")
    for i, rule in enumerate(model.get("parameter_rules") or []):
        fields.append((f"{base}.parameter_rules[{i}]._origin", str(i)))
        add(rule, f"{base}.parameter_rules[{i}]")
    return fields


class BytesWritten:
    """Counts the bytes of the parameters of every INSERT and UPDATE sent to the database."""

    def __init__(self):
        self.total = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            rows = params if many else [params]
            self.total += sum(len(str(p)) for row in rows for p in (row or ()))
        return execute(sql, params, many, context)


def keystroke(handler, cookie: str, url: str, body: bytes) -> tuple[int, bytes]:
    """One POST handed to the WSGI application as a server hands it over (no test client:
    its template instrumentation would be timed too)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": url,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "HTTP_HX_REQUEST": "true",
        "HTTP_X_CSRFTOKEN": cookie.rsplit("csrftoken=", 1)[1],
        "CONTENT_TYPE": FORM,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": "127.0.0.1",
    }
    status = []
    response = handler(environ, lambda code, headers: status.append(int(code.split()[0])))
    content = b"".join(response)
    response.close()
    return status[0], content


def measure(
    client: Client, project: Project, count: int, whole_form: bool = False
) -> tuple[list[float], list[float], list[int]]:
    index = len(project.spec["models"]) // 2
    model = project.spec["models"][index]
    base = f"models[{index}]"
    url = f"/projects/{project.pk}/models/{index}/save/"
    fields = form_fields(model, base)
    handler = application
    csrf = "b" * 32  # a browser sends the CSRF cookie and the same token in a header
    cookie = "; ".join(
        [*(f"{k}={v.value}" for k, v in client.cookies.items()), f"csrftoken={csrf}"]
    )
    times, cpu, written = [], [], []
    for i in range(count + 20):
        data = [("_version", str(project.version)), ("_editor", "bench-page")]
        if whole_form or i == 0:
            data = [*fields, *data]
        else:  # what the page sends once a save of the whole form was acknowledged
            data += [("_lists", f"{base}.parameter_rules"), ("_partial", "1")]
        data.append((f"{base}.label.en_US", f"{model['label']['en_US']} {i}"))
        body = urlencode(data).encode()  # as htmx posts a form
        counter = BytesWritten()
        with connection.execute_wrapper(counter):
            start, cpu_start = time.perf_counter(), time.process_time()
            status, content = keystroke(handler, cookie, url, body)
            elapsed = (time.perf_counter() - start) * 1e3
            cpu_ms = (time.process_time() - cpu_start) * 1e3
        assert status == 200, (status, content[:300])
        assert b'class="conflict"' not in content, "the keystroke was not saved"
        if i >= 20:  # the first requests warm caches
            times.append(elapsed)
            cpu.append(cpu_ms)
            written.append(counter.total)
    return times, cpu, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sizes", default="1,25,100,250")
    parser.add_argument("--whole-form", action="store_true", help="post the whole form each time")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    team = Team.objects.create(name="Bench")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench", "b@example.com", "a-long-pass-phrase")
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        project = Project.objects.create(team=team, name=f"p{size}", spec=plugin_of(size))
        times, cpu, written = measure(client, project, args.requests, args.whole_form)
        p95 = statistics.quantiles(times, n=20)[-1]
        results[size] = (statistics.median(times), p95, max(written))
        print(
            f"{size:>4} models: median {results[size][0]:.2f} ms, p95 {p95:.2f} ms, "
            f"CPU median {statistics.median(cpu):.2f} ms, "
            f"written per keystroke max {max(written) / 1024:.1f} KB"
        )
    smallest, largest = min(results), max(results)
    ratio = results[largest][1] / results[smallest][1]
    print(f"p95 ratio {largest} models / {smallest} model: {ratio:.2f}x (target <= {TARGET_RATIO})")
    ok = (
        all(p95 <= TARGET_P95_MS for _, p95, _ in results.values())
        and ratio <= TARGET_RATIO
        and results[largest][2] <= TARGET_BYTES
    )
    print("meets the targets" if ok else "misses a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
