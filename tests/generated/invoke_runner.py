"""Load the plugin in the current folder with Dify's SDK and invoke its models; run in a subprocess.

    python -I -B invoke_runner.py CALLS.json RESULTS.json

CALLS.json is a list of calls, each ``{"name", "kind", ...}``; RESULTS.json maps each name to
``{"ok": true, "value": ...}`` or ``{"ok": false, "error": "<exception class>", "message"}``.
This is what the plugin daemon does: ``PluginRegistration(DifyPluginEnv())``, then the model
instance of a type, then its ``invoke``/``validate_credentials``.
"""

import base64
import io
import json
import os
import sys


def prompt_messages(messages):
    from dify_plugin.entities.model.message import (
        AssistantPromptMessage,
        ImagePromptMessageContent,
        SystemPromptMessage,
        TextPromptMessageContent,
        UserPromptMessage,
    )

    def content(value):
        if isinstance(value, str):
            return value
        return [
            TextPromptMessageContent(data=part["text"])
            if part["type"] == "text"
            else ImagePromptMessageContent(url=part["url"], format="png", mime_type="image/png")
            for part in value
        ]

    kinds = {"system": SystemPromptMessage, "user": UserPromptMessage}
    kinds["assistant"] = AssistantPromptMessage
    return [kinds[m["role"]](content=content(m["content"])) for m in messages]


def tools(specs):
    from dify_plugin.entities.model.message import PromptMessageTool

    return [PromptMessageTool(**spec) for spec in specs or []]


def llm_value(chunks):
    text, calls, usage, finish = "", [], None, None
    for chunk in chunks:
        message = chunk.delta.message
        text += message.content if isinstance(message.content, str) else ""
        calls += [c.model_dump(mode="json") for c in message.tool_calls or []]
        usage = chunk.delta.usage or usage
        finish = chunk.delta.finish_reason or finish
    return {
        "text": text,
        "tool_calls": calls,
        "chunks": len(chunks),
        "usage": usage.model_dump(mode="json") if usage else None,
        "finish_reason": finish,
    }


def run_call(call, provider_instance, factory):
    from dify_plugin.entities.model import ModelType

    kind, model, credentials = call["kind"], call.get("model"), call.get("credentials", {})
    if kind == "provider_validate":
        return provider_instance.validate_provider_credentials(credentials)
    instance = factory.get_instance(ModelType(call["model_type"]))
    if kind == "validate":
        return instance.validate_credentials(model, credentials)
    if kind == "schema":
        schema = instance.get_model_schema(model, credentials)
        return schema.model_dump(mode="json") if schema else None
    if kind == "llm":
        chunks = instance.invoke(
            model,
            credentials,
            prompt_messages(call["messages"]),
            call.get("parameters", {}),
            tools=tools(call.get("tools")),
            stop=call.get("stop"),
            stream=call.get("stream", False),
        )
        return llm_value(list(chunks))
    if kind == "num_tokens":
        return instance.get_num_tokens(model, credentials, prompt_messages(call["messages"]))
    if kind == "embed":
        result = instance.invoke(model, credentials, call["texts"])
        return {"embeddings": result.embeddings, "usage": result.usage.model_dump(mode="json")}
    if kind == "rerank":
        threshold, top_n = call.get("threshold"), call.get("top_n")
        result = instance.invoke(model, credentials, call["query"], call["docs"], threshold, top_n)
        return [doc.model_dump(mode="json") for doc in result.docs]
    if kind == "speech2text":
        audio = io.BytesIO(base64.b64decode(call["audio"]))
        return instance.invoke(model, credentials, audio)
    if kind == "tts":
        audio = instance.invoke(model, "tenant", credentials, call["text"], call["voice"])
        data = audio if isinstance(audio, bytes) else b"".join(audio)
        return base64.b64encode(data).decode()
    if kind == "voices":
        return instance.get_tts_model_voices(model, credentials)
    if kind == "moderation":
        return instance.invoke(model, credentials, call["text"])
    raise ValueError(f"unknown call kind {kind}")


def outcome(call, provider_instance, factory):
    try:
        return {"ok": True, "value": run_call(call, provider_instance, factory)}
    except Exception as error:  # noqa: BLE001 - the error is the result under test
        return {"ok": False, "error": type(error).__name__, "message": str(error)}


def main():
    calls_path, results_path = sys.argv[1:3]
    with open(calls_path, encoding="utf-8") as f:
        calls = json.load(f)
    sys.path.insert(0, os.getcwd())
    from dify_plugin.config.config import DifyPluginEnv
    from dify_plugin.core.plugin_registration import PluginRegistration

    registration = PluginRegistration(DifyPluginEnv())
    _, provider_instance, factory = next(iter(registration.models_mapping.values()))
    results = {call["name"]: outcome(call, provider_instance, factory) for call in calls}
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
