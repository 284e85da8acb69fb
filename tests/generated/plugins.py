"""Design specs of generated plugins under test, with every model type."""

from designer.core.render import render
from designer.core.spec import DesignSpec
from designer.core.starter import starter_document
from tests.core.factories import CREATED_AT, embedding_model, llm_model

ALL_TYPES = ["llm", "text-embedding", "rerank", "speech2text", "tts", "moderation"]


def simple_model(model_id, model_type, **properties):
    return {
        "model": model_id,
        "label": {"en_US": model_id},
        "model_type": model_type,
        "model_properties": properties,
    }


def all_models():
    return [
        llm_model("demo-chat", features=["tool-call", "multi-tool-call", "stream-tool-call"]),
        llm_model("demo-complete", model_properties={"mode": "completion", "context_size": 4096}),
        embedding_model("demo-embed"),
        simple_model("demo-rerank", "rerank", context_size=8192),
        simple_model(
            "demo-whisper", "speech2text", file_upload_limit=25, supported_file_extensions="mp3"
        ),
        {
            **simple_model(
                "demo-voice",
                "tts",
                default_voice="alloy",
                word_limit=3500,
                audio_type="mp3",
                max_workers=2,
                voices=[
                    {"mode": "alloy", "name": "Alloy", "language": ["en-US"]},
                    {"mode": "echo", "name": "Echo", "language": ["en-US"]},
                ],
            ),
            "pricing": {"input": "0.015", "unit": "0.001", "currency": "USD"},
        },
        simple_model("demo-moderation", "moderation", max_chunks=32, max_characters_per_chunk=2000),
    ]


def plugin_document(api_style="openai-compatible", base_url=None, models=None, name="demo"):
    document = starter_document(name, "acme", "Demo AI", CREATED_AT, base_url=base_url)
    document["provider"]["supported_model_types"] = list(ALL_TYPES)
    document["models"] = all_models() if models is None else models
    document["code"]["api_style"] = api_style
    permission = {t.replace("-", "_"): True for t in ALL_TYPES}
    document["manifest"]["resource"]["permission"]["model"] = {"enabled": True, **permission}
    return document


def rendered(document) -> dict[str, bytes]:
    return render(DesignSpec.model_validate(document))
