"""The Python side of a plugin: ``main.py``, the provider class and one class per model type.

Names in generated code come from validated ids only (``class_prefix``); user text never
reaches Python except through ``repr`` (``py_str``).
"""

import re
from collections.abc import Iterator

from .. import layout
from ..spec import DesignSpec
from .yaml_files import RenderedFile

MAIN_PY = """\
from dify_plugin import DifyPluginEnv, Plugin

plugin = Plugin(DifyPluginEnv(MAX_REQUEST_TIMEOUT=120))

if __name__ == "__main__":
    plugin.run()
"""

# The SDK base class of each model type directory and the name suffix of our subclass.
MODEL_BASES = {
    "llm": ("dify_plugin.interfaces.model.large_language_model", "LargeLanguageModel"),
    "text_embedding": ("dify_plugin.interfaces.model.text_embedding_model", "TextEmbeddingModel"),
    "rerank": ("dify_plugin.interfaces.model.rerank_model", "RerankModel"),
    "speech2text": ("dify_plugin.interfaces.model.speech2text_model", "Speech2TextModel"),
    "tts": ("dify_plugin.interfaces.model.tts_model", "TTSModel"),
    "moderation": ("dify_plugin.interfaces.model.moderation_model", "ModerationModel"),
}

# The abstract methods each SDK base leaves to us, as minimal bodies that say what is missing.
_NOT_WRITTEN = "raise NotImplementedError({message})"
_ABSTRACT_METHODS = {
    "llm": [
        "def _invoke(self, model, credentials, prompt_messages, model_parameters, tools=None,"
        " stop=None, stream=True, user=None):",
        "def get_num_tokens(self, model, credentials, prompt_messages, tools=None):",
    ],
    "text_embedding": [
        "def _invoke(self, model, credentials, texts, user=None, input_type=None):",
        "def get_num_tokens(self, model, credentials, texts):",
    ],
    "rerank": [
        "def _invoke(self, model, credentials, query, docs, score_threshold=None, top_n=None,"
        " user=None):"
    ],
    "speech2text": ["def _invoke(self, model, credentials, file, user=None):"],
    "tts": ["def _invoke(self, model, tenant_id, credentials, content_text, voice, user=None):"],
    "moderation": ["def _invoke(self, model, credentials, text, user=None):"],
}


def py_str(text: str) -> str:
    """A Python literal for any text: quotes, backslashes, newlines and ``\"\"\"`` included."""
    return repr(text)


def class_prefix(identifier: str) -> str:
    """``my-provider_x`` -> ``MyProviderX``; always a valid identifier."""
    words = re.split(r"[^A-Za-z0-9]+", identifier)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    if not name or not name[0].isalpha():
        name = "Plugin" + name
    return name


def provider_module(spec: DesignSpec) -> str:
    name = class_prefix(spec.provider.provider)
    return f"""\
from collections.abc import Mapping

from dify_plugin import ModelProvider


class {name}Provider(ModelProvider):
    def validate_provider_credentials(self, credentials: Mapping) -> None:
        # Predefined models are checked one by one when used; nothing to check up front.
        return None
"""


def model_module(spec: DesignSpec, directory: str) -> str:
    module, base = MODEL_BASES[directory]
    name = class_prefix(spec.provider.provider) + base
    message = py_str(f"{name}: the API call is not written yet (models/{directory}).")
    methods = [*_ABSTRACT_METHODS[directory], "def validate_credentials(self, model, credentials):"]
    bodies = "\n".join(
        f"    {signature}\n        {_NOT_WRITTEN.format(message=message)}\n"
        for signature in methods
    )
    return f"""\
from dify_plugin.errors.model import InvokeError
from {module} import {base}


class {name}({base}):
{bodies}
    @property
    def _invoke_error_mapping(self) -> dict[type[InvokeError], list[type[Exception]]]:
        return {{}}
"""


def code_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    sources = layout.python_sources(spec)
    yield "main.py", MAIN_PY.encode()
    yield sources.provider_source, provider_module(spec).encode()
    for source in sources.model_sources:
        directory = source.split("/")[-2] if source.count("/") >= 1 else ""
        if directory in MODEL_BASES:
            yield source, model_module(spec, directory).encode()
