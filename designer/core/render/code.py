"""The Python side of a plugin: ``main.py``, the provider class and one class per model type.

Names in generated code come from validated ids only (``class_prefix``); user text never
reaches Python except through ``repr`` (``py_str``).
"""

import re
from collections.abc import Iterator
from string import Template

from .. import layout
from ..spec import DesignSpec, Model
from . import code_custom, code_openai, code_snippets
from .yaml_files import RenderedFile

MAIN_PY = """\
from dify_plugin import DifyPluginEnv, Plugin

plugin = Plugin(DifyPluginEnv(MAX_REQUEST_TIMEOUT=120))

if __name__ == "__main__":
    plugin.run()
"""

COMMON_MODULE = "models/common.py"

# The SDK base class of each model type directory and the name suffix of our subclass.
MODEL_BASES = {
    "llm": ("dify_plugin.interfaces.model.large_language_model", "LargeLanguageModel"),
    "text_embedding": ("dify_plugin.interfaces.model.text_embedding_model", "TextEmbeddingModel"),
    "rerank": ("dify_plugin.interfaces.model.rerank_model", "RerankModel"),
    "speech2text": ("dify_plugin.interfaces.model.speech2text_model", "Speech2TextModel"),
    "tts": ("dify_plugin.interfaces.model.tts_model", "TTSModel"),
    "moderation": ("dify_plugin.interfaces.model.moderation_model", "ModerationModel"),
}


def py_str(text: str) -> str:
    """A pure-ASCII, double-quoted Python literal of exactly ``text``: quotes, backslashes,
    newlines, ``\"\"\"``, astral characters and lone surrogates included."""
    quote = "'" if text.count('"') > text.count("'") else '"'  # as ruff format chooses
    return quote + "".join(_escaped(char, quote) for char in text) + quote


def _escaped(char: str, quote: str) -> str:
    if char in (quote, "\\"):
        return "\\" + char
    return ascii(char)[1:-1]  # printable ASCII as is, the rest as \n, \x.., \u.... or \U...


def class_prefix(identifier: str) -> str:
    """``my-provider_x`` -> ``MyProviderX``; always a valid identifier."""
    words = re.split(r"[^A-Za-z0-9]+", identifier)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    if not name or not name[0].isalpha():
        name = "Plugin" + name
    return name


# The SDK's ModelType member of each model type directory.
MODEL_TYPE_MEMBERS = {
    "llm": "LLM",
    "text_embedding": "TEXT_EMBEDDING",
    "rerank": "RERANK",
    "speech2text": "SPEECH2TEXT",
    "tts": "TTS",
    "moderation": "MODERATION",
}

PROVIDER_CHECKING = Template('''\
from collections.abc import Mapping

from dify_plugin import ModelProvider
from dify_plugin.entities.model import ModelType
from dify_plugin.errors.model import CredentialsValidateFailedError


class $cls(ModelProvider):
    def validate_provider_credentials(self, credentials: Mapping) -> None:
        """Check the credentials with one real call to $model_comment, as Dify does when
        they are saved."""
        model = $model
        try:
            model_instance = self.get_model_instance(ModelType.$model_type)
            model_instance.validate_credentials(model=model, credentials=credentials)
        except CredentialsValidateFailedError:
            raise
        except Exception as error:
            raise CredentialsValidateFailedError(str(error)) from error
''')

PROVIDER_WITHOUT_MODELS = Template("""\
from collections.abc import Mapping

from dify_plugin import ModelProvider


class $cls(ModelProvider):
    def validate_provider_credentials(self, credentials: Mapping) -> None:
        # No predefined model to check them with: each customizable model's credentials are
        # checked by its model class when the user adds it.
        return None
""")


def check_model(spec: DesignSpec) -> Model | None:
    """The predefined model the provider's credentials are checked with: an llm if any."""
    by_type = {layout.type_dir(m.model_type): m for m in reversed(spec.models)}
    for directory in MODEL_TYPE_MEMBERS:
        if directory in by_type:
            return by_type[directory]
    return None


def provider_module(spec: DesignSpec) -> str:
    cls = class_prefix(spec.provider.provider) + "Provider"
    model = check_model(spec) if "predefined-model" in spec.provider.configurate_methods else None
    if model is None:
        return PROVIDER_WITHOUT_MODELS.substitute(cls=cls)
    return PROVIDER_CHECKING.substitute(
        cls=cls,
        model=py_str(model.model),
        model_comment="a predefined model",
        model_type=MODEL_TYPE_MEMBERS[layout.type_dir(model.model_type)],
    )


def model_module(spec: DesignSpec, directory: str) -> str:
    cls = class_prefix(spec.provider.provider) + MODEL_BASES[directory][1]
    if spec.code.api_style == "openai-compatible":
        return code_openai.MODEL_TEMPLATES[directory].substitute(cls=cls)
    return code_custom.model_source(directory, cls)


def common_module(spec: DesignSpec) -> str:
    shared = {
        "base_url": py_str(spec.code.base_url or ""),
        "error_for_status": code_snippets.ERROR_FOR_STATUS.rstrip(),
        "offline_token_count": code_snippets.OFFLINE_COUNTING.rstrip(),
        "mapped_errors": code_snippets.MAPPED_ERRORS.rstrip(),
    }
    if spec.code.api_style == "openai-compatible":
        return code_openai.COMMON.substitute(shared)
    label = spec.manifest.label.get("en_US", spec.manifest.name)
    not_written = (
        f"TODO: call your API here (models/common.py, call_api). This plugin was generated "
        f"as a skeleton and does not talk to {label} yet."
    )
    source = code_custom.COMMON.substitute(shared, not_written=py_str(not_written))
    return source.rstrip() + "\n"


def code_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    sources = layout.python_sources(spec)
    yield "main.py", MAIN_PY.encode()
    yield sources.provider_source, provider_module(spec).encode()
    yield COMMON_MODULE, common_module(spec).encode()
    for source in sources.model_sources:
        directory = source.split("/")[-2] if source.count("/") >= 1 else ""
        if directory not in MODEL_BASES:
            continue
        yield source, model_module(spec, directory).encode()
