"""Design-spec documents for tests: a valid plugin, and models to add to it."""

import copy

from designer.core.starter import starter_document

CREATED_AT = "2026-01-01T00:00:00Z"


def llm_model(model_id="demo-chat", context_size=8192, **extra):
    return {
        "model": model_id,
        "label": {"en_US": model_id.title()},
        "model_type": "llm",
        "features": ["tool-call", "stream-tool-call"],
        "model_properties": {"mode": "chat", "context_size": context_size},
        "parameter_rules": [
            {"name": "temperature", "use_template": "temperature"},
            {"name": "top_p", "use_template": "top_p"},
            {
                "name": "max_tokens",
                "use_template": "max_tokens",
                "default": 1024,
                "min": 1,
                "max": 4096,
            },
            {
                "name": "seed",
                "label": {"en_US": "Seed"},
                "type": "int",
                "required": False,
            },
        ],
        "pricing": {"input": "0.50", "output": "1.50", "unit": "0.000001", "currency": "USD"},
        "deprecated": False,
        **extra,
    }


def embedding_model(model_id="demo-embed", **extra):
    return {
        "model": model_id,
        "label": {"en_US": model_id},
        "model_type": "text-embedding",
        "model_properties": {"context_size": 8192, "max_chunks": 32},
        "pricing": {"input": "0.02", "unit": "0.000001", "currency": "USD"},
        **extra,
    }


def plugin_document(models=None, **manifest_changes):
    """A valid document of a plugin with one llm and one embedding model."""
    document = starter_document("demo", "acme", "Demo AI", created_at=CREATED_AT)
    document["provider"]["supported_model_types"] = ["llm", "text-embedding"]
    document["models"] = (
        copy.deepcopy(models)
        if models is not None
        else [
            llm_model(),
            embedding_model(),
        ]
    )
    document["manifest"].update(manifest_changes)
    return document


# The field of each official plugin fixture's forms holding its endpoint, when it is not the
# conventional endpoint_url the generated code reads.
OFFICIAL_ENDPOINT_FIELDS = {
    "anthropic": "anthropic_api_url",
    "jina": "base_url",
    "openai": "openai_api_base",
    "openai_api_compatible": None,
}


def with_generated_code(spec, name):
    """An imported official plugin with the code the fixtures leave out added, reading its own
    endpoint field."""
    spec.code.added = ["main", "provider_code", "model_code"]
    spec.code.endpoint_field = OFFICIAL_ENDPOINT_FIELDS[name]
    return spec
