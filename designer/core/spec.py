"""The design spec: one validated description of a whole Dify model-provider plugin.

Field names are Dify's own (manifest.yaml, provider/<id>.yaml, AIModelEntity). Objects that stand
for something in a Dify file accept keys Dify does not know and keep them (``extra="allow"``), so
an imported plugin comes back intact. Optional layout fields (``manifest.plugins``,
``provider.models``, ``provider.extra``, ``model.path``, ``positions``) are kept as written when a
plugin is imported and derived from the rest when absent.

Only the structure is checked here; the rules that make a plugin loadable by Dify and the
warnings about likely mistakes live in ``validation``.
"""

import base64
import binascii
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from .api_styles import API_STYLES

# Re-exported: the renderer leaves these keys out of model YAML.
from .limits import DESIGNER_MODEL_KEYS as DESIGNER_MODEL_KEYS
from .model_types import MODEL_TYPES

SPEC_VERSION = 1

# The model types both the SDK and the daemon know, with the directory each lives in (the
# other facts of each type are in model_types).
MODEL_TYPE_DIRS = {facts.model_type: facts.directory for facts in MODEL_TYPES}
TYPE_DIR_MODEL_TYPES = {d: t for t, d in MODEL_TYPE_DIRS.items()}
LANGUAGES = ("en_US", "zh_Hans", "ja_JP", "pt_BR")
FEATURES = (
    "tool-call",
    "multi-tool-call",
    "agent-thought",
    "vision",
    "stream-tool-call",
    "document",
    "video",
    "audio",
    "structured-output",
    "polling",
)
PARAMETER_TEMPLATES = (
    "temperature",
    "top_p",
    "top_k",
    "presence_penalty",
    "frequency_penalty",
    "max_tokens",
    "response_format",
    "json_schema",
)
PARAMETER_TYPES = ("float", "int", "string", "boolean", "text")
FORM_TYPES = ("text-input", "secret-input", "select", "radio", "switch")
CONFIGURATE_METHODS = ("predefined-model", "customizable-model")

ModelType = Literal["llm", "text-embedding", "rerank", "speech2text", "tts", "moderation"]


def _english_as_text(value: dict[str, str | None]) -> dict[str, str | None]:
    # An empty English text is reported on its field by validation ("en_US is required").
    return {**value, "en_US": ""} if "en_US" in value and value["en_US"] is None else value


# Translations: Dify's SDK accepts an empty one (``zh_Hans:`` with no value) and shows the
# English text there, so an imported plugin may have them; they are kept as they are.
I18n = Annotated[dict[str, str | None], AfterValidator(_english_as_text)]
# One icon file name per language.
IconNames = dict[str, str]
Number = int | float


class DifyObject(BaseModel):
    """Something written to a Dify file: unknown keys are kept as they were."""

    model_config = ConfigDict(extra="allow", protected_namespaces=())


class DesignerObject(BaseModel):
    """Something only the designer knows: unknown keys are typos, so they are refused."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())


# --- manifest.yaml ---------------------------------------------------------------------------


class Runner(DifyObject):
    language: str = "python"
    version: str = "3.12"
    entrypoint: str = "main"


class Meta(DifyObject):
    version: str = "0.0.1"
    arch: list[str] = Field(default_factory=lambda: ["amd64", "arm64"])
    runner: Runner = Field(default_factory=Runner)
    minimum_dify_version: str | None = None


class ModelPermission(DifyObject):
    enabled: bool | None = None
    llm: bool | None = None
    text_embedding: bool | None = None
    rerank: bool | None = None
    tts: bool | None = None
    speech2text: bool | None = None
    moderation: bool | None = None


class StoragePermission(DifyObject):
    enabled: bool | None = None
    size: int | None = None


class Permission(DifyObject):
    model: ModelPermission | None = None
    storage: StoragePermission | None = None


class Resource(DifyObject):
    memory: int = 268435456
    permission: Permission | None = None


class Plugins(DifyObject):
    models: list[str] = Field(default_factory=list)


class Manifest(DifyObject):
    version: str = "0.0.1"
    type: str = "plugin"
    author: str
    name: str
    repo: str | None = None
    label: I18n
    description: I18n
    icon: str
    icon_dark: str | None = None
    created_at: str
    resource: Resource = Field(default_factory=Resource)
    plugins: Plugins | None = None
    meta: Meta = Field(default_factory=Meta)
    privacy: str | None = None
    tags: list[str] | None = None
    verified: bool | None = None

    @field_validator("created_at", mode="before")
    @classmethod
    def _timestamp_as_text(cls, value: Any) -> Any:
        # Unquoted timestamps come out of YAML as datetime objects; the spec keeps text.
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value


# --- provider/<provider>.yaml ----------------------------------------------------------------


class ShowOn(DifyObject):
    variable: str
    value: str


class FormOption(DifyObject):
    value: str
    label: I18n | None = None
    show_on: list[ShowOn] | None = None


class CredentialField(DifyObject):
    variable: str
    label: I18n
    type: str
    required: bool = False  # written always: the SDK defaults to true, the daemon to false
    default: str | None = None
    placeholder: I18n | None = None
    options: list[FormOption] | None = None
    max_length: int | None = None
    show_on: list[ShowOn] | None = None


class ProviderCredentialSchema(DifyObject):
    credential_form_schemas: list[CredentialField] = Field(default_factory=list)


class ModelNameField(DifyObject):
    label: I18n
    placeholder: I18n | None = None


class ModelCredentialSchema(DifyObject):
    model: ModelNameField
    credential_form_schemas: list[CredentialField] = Field(default_factory=list)


class Help(DifyObject):
    title: I18n
    url: I18n


class ModelGlobs(DifyObject):
    position: str | None = None
    predefined: list[str] = Field(default_factory=list)


class PythonSources(DifyObject):
    provider_source: str
    model_sources: list[str] = Field(default_factory=list)


class ProviderExtra(DifyObject):
    python: PythonSources


class Provider(DifyObject):
    provider: str
    label: I18n
    description: I18n | None = None
    icon_small: IconNames | None = None
    icon_large: IconNames | None = None
    icon_small_dark: IconNames | None = None
    icon_large_dark: IconNames | None = None
    background: str | None = None
    help: Help | None = None
    supported_model_types: list[str]
    configurate_methods: list[str]
    provider_credential_schema: ProviderCredentialSchema | None = None
    model_credential_schema: ModelCredentialSchema | None = None
    models: dict[str, ModelGlobs] | None = None
    extra: ProviderExtra | None = None


# --- models/<type>/<model>.yaml (AIModelEntity) ----------------------------------------------


class Voice(DifyObject):
    mode: str
    name: str
    language: list[str] = Field(default_factory=list)


class ModelProperties(BaseModel):
    """The SDK keys model_properties by an enum: a key it does not know makes the file fail."""

    model_config = ConfigDict(extra="forbid")

    mode: str | None = None
    context_size: int | None = None
    max_chunks: int | None = None
    file_upload_limit: int | None = None
    supported_file_extensions: str | None = None
    max_characters_per_chunk: int | None = None
    default_voice: str | None = None
    voices: list[Voice] | None = None
    word_limit: int | None = None
    audio_type: str | None = None
    max_workers: int | None = None


class ParameterRule(DifyObject):
    name: str
    use_template: str | None = None
    label: I18n | None = None
    type: str | None = None
    help: I18n | None = None
    required: bool | None = None
    default: Any = None
    min: Number | None = None
    max: Number | None = None
    precision: int | None = None
    options: list[str] | None = None


class Pricing(DifyObject):
    input: Decimal
    output: Decimal | None = None
    unit: Decimal
    currency: str

    @field_validator("input", "output", "unit", mode="before")
    @classmethod
    def _exact_decimal(cls, value: Any) -> Any:
        # A float from YAML goes through its shortest repr (0.2, not 0.2000000000000000111).
        if isinstance(value, float):
            return repr(value)
        return value


class Model(DifyObject):
    path: str | None = None  # the file in the plugin; derived from the id when absent
    # The team-library definition this model follows; its fields are refreshed from the library
    # before every preview and build, so one edit there serves every plugin that uses it.
    library: str | None = None
    model: str
    label: I18n | None = None
    model_type: str
    features: list[str] | None = None
    fetch_from: str | None = None
    model_properties: ModelProperties = Field(default_factory=ModelProperties)
    parameter_rules: list[ParameterRule] | None = None
    pricing: Pricing | None = None
    deprecated: bool | None = None


# --- what only the designer needs ------------------------------------------------------------


# The files the designer can generate, in pieces a person adds or leaves out as a whole.
GENERATED_PIECES = (
    "main",
    "provider_code",
    "model_code",
    "common_code",
    "requirements",
    "pyproject",
    "difyignore",
    "env_example",
    "readme",
    "privacy",
    "changelog",
    "tests",
)


class Code(DesignerObject):
    """How the generated Python talks to the provider's API, and which files are generated."""

    api_style: Literal[API_STYLES] = API_STYLES[0]
    base_url: str | None = None
    # The ``variable`` of the credential field the generated code sends as the API key, and of
    # the one it calls as the endpoint; absent means ``api_key`` and ``endpoint_url``.
    api_key_field: str | None = None
    endpoint_field: str | None = None
    # Read from an existing plugin: its rebuild has its own files and only the generated
    # pieces named in ``added`` (a designed plugin has every piece where it has no file).
    imported: bool | None = None
    added: list[Literal[GENERATED_PIECES]] | None = None


class CarriedFile(DesignerObject):
    """A file kept as it is: text when it is UTF-8 text, base64 otherwise."""

    text: str | None = None
    base64: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "CarriedFile":
        if (self.text is None) == (self.base64 is None):
            raise ValueError("give either text or base64")
        if self.base64 is not None:
            try:
                base64.b64decode(self.base64, validate=True)
            except binascii.Error as error:
                raise ValueError(f"not valid base64: {error}") from None
        return self

    @property
    def data(self) -> bytes:
        if self.text is not None:
            return self.text.encode()
        return base64.b64decode(self.base64 or "")

    @classmethod
    def from_bytes(cls, data: bytes) -> "CarriedFile":
        try:
            return cls(text=data.decode())
        except UnicodeDecodeError:
            return cls(base64=base64.b64encode(data).decode())


class Original(DesignerObject):
    """An imported YAML file as written, given back while its data is unchanged."""

    fingerprint: str
    text: str


class DesignSpec(DesignerObject):
    spec_version: Literal[1] = SPEC_VERSION
    manifest: Manifest
    provider: Provider
    models: list[Model] = Field(default_factory=list)
    positions: dict[str, list[Annotated[str, Field(strict=True)]]] | None = None
    code: Code = Field(default_factory=Code)
    files: dict[str, CarriedFile] = Field(default_factory=dict)
    originals: dict[str, Original] = Field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        """The JSON-able design-spec document (what the YAML/JSON spec files hold)."""
        return self.model_dump(mode="json", exclude_none=True)
