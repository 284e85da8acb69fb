"""The playground's answer, put together from the events the plugin's streamed chat gave.

The runner (``playground_runner.py``, in the plugin's subprocess) writes one event per line:
``{"kind": "text", "text"}`` for each piece of the answer, ``{"kind": "tool_calls", "calls"}``,
``{"kind": "usage", "usage"}`` (the SDK's LLMUsage: tokens, prices from the model's YAML,
latency), ``{"kind": "error", "error", "message"}`` and last ``{"kind": "done",
"finish_reason"}``. The SDK wraps a model's ``reasoning_content`` in ``<think>`` tags inside the
text; the answer shows it apart.
"""

from dataclasses import dataclass, field
from typing import Any

from .tryout.runner import ERROR_TYPES

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"


@dataclass
class Answer:
    text: str = ""
    reasoning: str = ""
    thinking: bool = False  # a <think> is open: the model is still reasoning
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, Any] | None = None
    error: str | None = None  # the Dify error kind, or the exception's class
    message: str | None = None
    finish_reason: str | None = None
    done: bool = False


def split_reasoning(streamed: str) -> tuple[str, str, bool]:
    """(reasoning, answer, still thinking) of text where reasoning sits in <think> tags."""
    reasoning, answer = [], []
    rest = streamed
    while rest:
        start = rest.find(THINK_OPEN)
        if start < 0:
            answer.append(rest)
            break
        answer.append(rest[:start])
        rest = rest[start + len(THINK_OPEN) :]
        end = rest.find(THINK_CLOSE)
        if end < 0:
            reasoning.append(rest)
            return join(reasoning), join(answer), True
        reasoning.append(rest[:end])
        rest = rest[end + len(THINK_CLOSE) :]
    return join(reasoning), join(answer), False


def join(parts: list[str]) -> str:
    return "".join(parts).strip()


def answer_from(events: list[dict[str, Any]]) -> Answer:
    answer = Answer()
    streamed = []
    for event in events:
        kind = event.get("kind")
        if kind == "text":
            streamed.append(str(event.get("text") or ""))
        elif kind == "tool_calls":
            answer.tool_calls += [call_shown(c) for c in event.get("calls") or []]
        elif kind == "usage":
            answer.usage = usage_shown(event.get("usage") or {})
        elif kind == "error":
            error = str(event.get("error") or "Error")
            answer.error = ERROR_TYPES.get(error, error)
            answer.message = str(event.get("message") or "")
        elif kind == "done":
            answer.done = True
            answer.finish_reason = event.get("finish_reason")
    answer.reasoning, answer.text, answer.thinking = split_reasoning("".join(streamed))
    return answer


def call_shown(call: dict) -> dict[str, Any]:
    function = call.get("function") or {}
    return {
        "id": call.get("id", ""),
        "name": function.get("name", ""),
        "arguments": function.get("arguments", ""),
    }


def usage_shown(usage: dict) -> dict[str, Any]:
    return {
        "prompt_tokens": usage.get("prompt_tokens", 0),
        "completion_tokens": usage.get("completion_tokens", 0),
        "total_tokens": usage.get("total_tokens", 0),
        "total_price": str(usage.get("total_price", "0")),
        "currency": usage.get("currency", ""),
        "latency": usage.get("latency"),
    }
