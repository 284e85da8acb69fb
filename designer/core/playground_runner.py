"""Send one chat through a plugin's own llm code with Dify's SDK; run in a subprocess.

    python -I -B playground_runner.py EVENTS.jsonl < REQUEST.json

The cwd is the plugin folder. REQUEST (on stdin, so the credentials never touch the disk) is
``{"model", "credentials", "messages": [{"role", "content"}], "parameters", "tools",
"allowed_hosts"}``. Each piece of the streamed answer is appended to EVENTS as one JSON line
the moment it arrives (see ``playground.py`` for the events), so the worker can pass them on
while the model still writes. Outbound connections obey the guard (``outbound.py``, loaded by
path: this process has only the standard library and the SDK), installed after the SDK's
gevent patching so it is not patched away.
"""

import importlib.util
import json
import os
import sys
from pathlib import Path


def load_outbound():
    path = Path(__file__).with_name("outbound.py")
    spec = importlib.util.spec_from_file_location("designer_outbound", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def prompt_messages(messages):
    from dify_plugin.entities.model.message import (
        AssistantPromptMessage,
        SystemPromptMessage,
        UserPromptMessage,
    )

    kinds = {
        "system": SystemPromptMessage,
        "user": UserPromptMessage,
        "assistant": AssistantPromptMessage,
    }
    return [kinds[m["role"]](content=str(m["content"])) for m in messages]


def tools(specs):
    from dify_plugin.entities.model.message import PromptMessageTool

    return [PromptMessageTool(**spec) for spec in specs or []]


class Events:
    def __init__(self, path: str):
        self.file = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - kept open

    def write(self, kind: str, **data) -> None:
        self.file.write(json.dumps({"kind": kind, **data}, default=str) + "\n")
        self.file.flush()


def stream_chat(request: dict, events: Events) -> None:
    from dify_plugin.config.config import DifyPluginEnv
    from dify_plugin.core.plugin_registration import PluginRegistration
    from dify_plugin.entities.model import ModelType

    registration = PluginRegistration(DifyPluginEnv())
    _, _, factory = next(iter(registration.models_mapping.values()))
    instance = factory.get_instance(ModelType.LLM)
    chunks = instance.invoke(
        request["model"],
        request["credentials"],
        prompt_messages(request["messages"]),
        request.get("parameters") or {},
        tools=tools(request.get("tools")),
        stream=True,
    )
    finish = None
    for chunk in chunks:
        message = chunk.delta.message
        if isinstance(message.content, str) and message.content:
            events.write("text", text=message.content)
        if message.tool_calls:
            events.write(
                "tool_calls", calls=[c.model_dump(mode="json") for c in message.tool_calls]
            )
        if chunk.delta.usage:
            events.write("usage", usage=chunk.delta.usage.model_dump(mode="json"))
        finish = chunk.delta.finish_reason or finish
    events.write("done", finish_reason=finish)


def main() -> int:
    events = Events(sys.argv[1])
    request = json.load(sys.stdin)
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.getcwd())  # as `python -m main` has it: the plugin's modules
    try:
        import dify_plugin.core.plugin_registration  # noqa: F401 - gevent patches on import

        outbound = load_outbound()
        outbound.install_socket_guard(outbound.parse_allowed(request.get("allowed_hosts", "")))
        stream_chat(request, events)
    except Exception as error:  # noqa: BLE001 - the error is the answer shown
        message = " ".join(str(error).split())[:2000]
        events.write("error", error=type(error).__name__, message=message)
        events.write("done", finish_reason=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
