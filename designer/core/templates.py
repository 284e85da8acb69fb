"""Dify's parameter-rule templates (copied from the SDK's PARAMETER_RULE_TEMPLATE, 0.10.x).

A rule with ``use_template`` gets every key it leaves out from its template; the designer shows
these defaults and lets them be overridden.
"""

from typing import Any

from .spec import ParameterRule

TEMPLATES: dict[str, dict[str, Any]] = {
    "temperature": {
        "label": {"en_US": "Temperature", "zh_Hans": "温度"},
        "type": "float",
        "help": {
            "en_US": "Controls randomness. Lower temperature results in less random completions. "
            "As the temperature approaches zero, the model will become deterministic and "
            "repetitive. Higher temperature results in more random completions.",
        },
        "required": False,
        "default": 0.0,
        "min": 0.0,
        "max": 1.0,
        "precision": 2,
    },
    "top_p": {
        "label": {"en_US": "Top P", "zh_Hans": "Top P"},
        "type": "float",
        "help": {
            "en_US": "Controls diversity via nucleus sampling: 0.5 means half of all "
            "likelihood-weighted options are considered.",
        },
        "required": False,
        "default": 1.0,
        "min": 0.0,
        "max": 1.0,
        "precision": 2,
    },
    "top_k": {
        "label": {"en_US": "Top K", "zh_Hans": "Top K"},
        "type": "int",
        "help": {
            "en_US": "Limits the number of tokens to consider for each step by keeping only the "
            "k most likely tokens.",
        },
        "required": False,
        "default": 50,
        "min": 1,
        "max": 100,
        "precision": 0,
    },
    "presence_penalty": {
        "label": {"en_US": "Presence Penalty", "zh_Hans": "存在惩罚"},
        "type": "float",
        "help": {
            "en_US": "Applies a penalty to the log-probability of tokens already in the text."
        },
        "required": False,
        "default": 0.0,
        "min": 0.0,
        "max": 1.0,
        "precision": 2,
    },
    "frequency_penalty": {
        "label": {"en_US": "Frequency Penalty", "zh_Hans": "频率惩罚"},
        "type": "float",
        "help": {
            "en_US": "Applies a penalty to the log-probability of tokens that appear in the text."
        },
        "required": False,
        "default": 0.0,
        "min": 0.0,
        "max": 1.0,
        "precision": 2,
    },
    "max_tokens": {
        "label": {"en_US": "Max Tokens", "zh_Hans": "最大标记"},
        "type": "int",
        "help": {
            "en_US": "Specifies the upper limit on the length of generated results. If the "
            "generated results are truncated, you can increase this parameter.",
        },
        "required": False,
        "default": 64,
        "min": 1,
        "max": 2048,
        "precision": 0,
    },
    "response_format": {
        "label": {"en_US": "Response Format", "zh_Hans": "回复格式"},
        "type": "string",
        "help": {
            "en_US": "Set a response format, ensure the output from llm is a valid code block as "
            "possible, such as JSON, XML, etc.",
        },
        "required": False,
        "options": ["JSON", "XML"],
    },
    "json_schema": {
        "label": {"en_US": "JSON Schema"},
        "type": "text",
        "help": {"en_US": "Set a response json schema will ensure LLM to adhere it."},
        "required": False,
    },
}


def effective_rule(rule: ParameterRule) -> dict[str, Any]:
    """The rule as Dify sees it: its template's keys, overridden by the keys it sets."""
    own = rule.model_dump(exclude_none=True)
    template = TEMPLATES.get(rule.use_template or "", {})
    return {**template, **own}
