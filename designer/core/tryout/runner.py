"""Run test connection's checks on the plugin in the current folder; run in a subprocess.

    python -I -B runner.py RESULTS.json < REQUEST.json

The request comes on stdin, so the credentials never reach the command line, the environment or
a file: ``{"outbound": path of outbound.py, "allowed": the text of PLAYGROUND_ALLOWED_HOSTS,
"time_limit": seconds per call, "credentials": {...}, "secrets": [values to hide],
"checks": [{"name", "kind", "model", "model_type", ...}]}``. RESULTS.json is a list with one
``{"name", "ok", "latency_ms", "usage", "error_type", "message", "detail"}`` per check, in order
(or a single "load" check when the plugin does not load). The SDK logs to stdout, hence a file.

As the plugin daemon does: the SDK first (it patches the process with gevent), then the
outbound guard on the patched socket module, then ``PluginRegistration(DifyPluginEnv())``
imports the plugin's code, and each call runs under a time limit.
"""

import importlib.util
import io
import json
import os
import re
import sys
import time
from pathlib import Path

MESSAGE_LIMIT = 500
STATUS_IN_TEXT = re.compile(r"(?:status code|HTTP) ([45]\d\d)\b")
WAV = Path(__file__).with_name("hello.wav")
ERROR_TYPES = {
    "InvokeAuthorizationError": "authorization",
    "InvokeRateLimitError": "rate limit",
    "InvokeServerUnavailableError": "unavailable",
    "InvokeBadRequestError": "bad request",
    "InvokeConnectionError": "connection",
}
TOOL = {
    "name": "get_weather",
    "description": "The current weather in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "The city's name"}},
        "required": ["city"],
    },
}


def load_outbound(path: str):
    spec = importlib.util.spec_from_file_location("designer_outbound", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def user_message(text: str):
    from dify_plugin.entities.model.message import UserPromptMessage

    return [UserPromptMessage(content=text)]


def usage_of(usage) -> dict | None:
    if usage is None:
        return None
    return {
        "input_tokens": getattr(usage, "prompt_tokens", None) or getattr(usage, "tokens", None),
        "output_tokens": getattr(usage, "completion_tokens", None),
        "total_tokens": usage.total_tokens,
        "cost": str(usage.total_price),
        "currency": usage.currency,
    }


def llm_call(check, credentials, plugin):
    from dify_plugin.entities.model.message import PromptMessageTool

    tools = [PromptMessageTool(**TOOL)] if check.get("tool") else None
    prompt = "Say hello in five words." if not tools else "What is the weather in Paris?"
    answer = plugin.model(check).invoke(
        check["model"],
        credentials,
        user_message(prompt),
        check.get("parameters") or {},
        tools=tools,
        stream=check["stream"],
    )
    # The SDK answers in chunks either way (the daemon's protocol); a blocking call gives one.
    chunks = [answer] if hasattr(answer, "message") else list(answer)
    text, calls, usage = "", [], None
    for chunk in chunks:
        part = getattr(chunk, "delta", chunk)
        message = part.message
        text += message.content if isinstance(message.content, str) else ""
        calls += [call.function.name for call in message.tool_calls or []]
        usage = part.usage or usage
    detail = f"answered {text.strip()[:120]!r}" if text.strip() else "answered no text"
    if calls:
        detail += f", called {', '.join(sorted(set(calls)))}"
    if check["stream"]:
        detail += f" in {len(chunks)} chunks"
    return detail, usage


def embedding_call(check, credentials, plugin):
    result = plugin.model(check).invoke(check["model"], credentials, ["hello", "world"])
    sizes = {len(vector) for vector in result.embeddings}
    detail = f"{len(result.embeddings)} vectors of {', '.join(map(str, sorted(sizes)))} numbers"
    return detail, result.usage


def rerank_call(check, credentials, plugin):
    docs = ["Paris is the capital of France.", "Bananas are yellow.", "France borders Spain."]
    result = plugin.model(check).invoke(check["model"], credentials, "capital of France", docs)
    ranked = ", ".join(f"#{doc.index}: {doc.score:.3g}" for doc in result.docs)
    return f"ranked {len(result.docs)} documents ({ranked})", None


def tts_call(check, credentials, plugin):
    audio = plugin.model(check).invoke(
        check["model"], "tryout", credentials, "Hello from the designer.", check.get("voice")
    )
    data = audio if isinstance(audio, bytes) else b"".join(audio)
    if not data:
        raise ValueError("the model returned no audio")
    return f"{len(data)} bytes of audio", None


def speech2text_call(check, credentials, plugin):
    text = plugin.model(check).invoke(check["model"], credentials, io.BytesIO(WAV.read_bytes()))
    return f"heard {str(text)[:120]!r}", None


def moderation_call(check, credentials, plugin):
    flagged = plugin.model(check).invoke(check["model"], credentials, "Hello, how are you?")
    return f"flagged: {bool(flagged)}", None


def validate_call(check, credentials, plugin):
    if check["kind"] == "provider_validate":
        plugin.provider.validate_provider_credentials(credentials)
    else:
        plugin.model(check).validate_credentials(check["model"], credentials)
    return "credentials accepted", None


CALLS = {
    "provider_validate": validate_call,
    "model_validate": validate_call,
    "llm": llm_call,
    "text-embedding": embedding_call,
    "rerank": rerank_call,
    "tts": tts_call,
    "speech2text": speech2text_call,
    "moderation": moderation_call,
}


class Plugin:
    def __init__(self, provider, factory):
        self.provider, self.factory = provider, factory

    def model(self, check):
        from dify_plugin.entities.model import ModelType

        return self.factory.get_instance(ModelType(check["model_type"]))


def one_line(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return " ".join(text.split())[:MESSAGE_LIMIT]


def chain(error: BaseException):
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def error_type(error: BaseException) -> str:
    """Dify's error type: the first invoke error in the chain, else what the HTTP status says."""
    for link in chain(error):
        for cls in type(link).__mro__:
            if cls.__name__ in ERROR_TYPES:
                return ERROR_TYPES[cls.__name__]
    for link in chain(error):
        status = getattr(getattr(link, "response", None), "status_code", None)
        if isinstance(status, int):
            return status_type(status)
    status = STATUS_IN_TEXT.search(str(error))  # the SDK's own classes say it in words
    if status:
        return status_type(int(status.group(1)))
    if type(error).__name__ == "CredentialsValidateFailedError":
        return "credentials"
    return "plugin error"


def status_type(status: int) -> str:
    if status in (401, 403):
        return "authorization"
    if status == 429:
        return "rate limit"
    return "unavailable" if status >= 500 else "bad request"


def error_message(error: BaseException) -> str:
    """The error's words, and the provider's answer when the SDK replaced it with its own
    (for an authorization error it says only "Incorrect model credentials provided")."""
    message = str(error) or type(error).__name__
    if error_type(error) == "plugin error":  # a bug in the plugin: its class helps
        return f"{type(error).__name__}: {message}"
    answers = [str(link) for link in chain(error)[1:] if STATUS_IN_TEXT.search(str(link))]
    if answers and answers[-1] not in message:
        message = f"{message} ({answers[-1]})"
    return message


def run_check(check, credentials, plugin, guard, request) -> dict:
    import gevent

    refused, started = len(guard.refusals), time.monotonic()
    result = {"name": check["name"], "ok": False, "usage": None, "detail": ""}
    limit = request["time_limit"]
    try:
        with gevent.Timeout(limit):
            detail, usage = CALLS[check["kind"]](check, credentials, plugin)
        result.update(ok=True, detail=detail, usage=usage_of(usage))
    except gevent.Timeout:
        result.update(error_type="connection", message=f"no answer within {limit:g}s")
    except Exception as error:  # noqa: BLE001 - the plugin's failure is the result
        result.update(error_type=error_type(error), message=error_message(error))
    if len(guard.refusals) > refused:  # the guard's reason, not the library's wrapping of it
        result.update(ok=False, error_type="refused", message=guard.refusals[refused])
    result["latency_ms"] = round((time.monotonic() - started) * 1000)
    if "message" in result:
        result["message"] = one_line(result["message"], request["secrets"])
    return result


def load_plugin() -> Plugin:
    from dify_plugin.config.config import DifyPluginEnv
    from dify_plugin.core.plugin_registration import PluginRegistration

    registration = PluginRegistration(DifyPluginEnv())
    _, provider, factory = next(iter(registration.models_mapping.values()))
    return Plugin(provider, factory)


def run(request: dict) -> list[dict]:
    import dify_plugin.core.plugin_registration  # noqa: F401 - gevent patches before the guard

    outbound = load_outbound(request["outbound"])
    guard = outbound.install_socket_guard(outbound.parse_allowed(request["allowed"]))
    sys.path.insert(0, os.getcwd())
    try:
        plugin = load_plugin()
    except Exception as error:  # noqa: BLE001 - a plugin that does not load is the result
        message = one_line(f"{type(error).__name__}: {error}", request["secrets"])
        return [{"name": "load", "ok": False, "error_type": "plugin error", "message": message}]
    credentials = request["credentials"]
    return [run_check(check, credentials, plugin, guard, request) for check in request["checks"]]


def main() -> None:
    request = json.load(sys.stdin)
    results = run(request)
    Path(sys.argv[1]).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main()
