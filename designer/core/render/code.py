"""The Python side of a plugin: ``main.py``, the provider class and one class per model type.

The code is in the template files of ``code_templates``; the API style picks the folder of
``models/common.py`` and of the model classes. Names in generated code come from validated ids
only (``class_prefix``); user text never reaches Python except as a literal (``py_str``).
"""

import re
from collections.abc import Iterator

from .. import layout
from ..api_styles import api_style
from ..credential_roles import api_key_variable, endpoint_variable
from ..model_types import BY_DIRECTORY, MODEL_TYPES
from ..spec import DesignSpec, Model
from .template_files import fill
from .yaml_files import RenderedFile

COMMON_MODULE = "models/common.py"
# Code both API styles put in models/common.py (as $error_for_status ...).
SHARED_PIECES = ("error_for_status", "mapped_errors", "offline_token_count")


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


def check_model(spec: DesignSpec) -> Model | None:
    """The predefined model the provider's credentials are checked with: an llm if any."""
    by_type = {layout.type_dir(m.model_type): m for m in reversed(spec.models)}
    for facts in MODEL_TYPES:
        if facts.directory in by_type:
            return by_type[facts.directory]
    return None


def provider_check_model(spec: DesignSpec) -> Model | None:
    """The model the provider class checks credentials with; None when it checks none."""
    if "predefined-model" not in spec.provider.configurate_methods:
        return None
    return check_model(spec)


def provider_module(spec: DesignSpec) -> str:
    cls = class_prefix(spec.provider.provider) + "Provider"
    model = provider_check_model(spec)
    if model is None:
        return fill("provider_without_models", cls=cls)
    member = BY_DIRECTORY[layout.type_dir(model.model_type)].member
    return fill("provider", cls=cls, model=py_str(model.model), model_type=member)


def model_module(spec: DesignSpec, directory: str) -> str:
    cls = class_prefix(spec.provider.provider) + BY_DIRECTORY[directory].sdk_class
    return fill(f"{api_style(spec.code.api_style).code_templates}/{directory}", cls=cls)


def common_module(spec: DesignSpec) -> str:
    label = spec.manifest.label.get("en_US", spec.manifest.name)
    not_written = (  # read by the custom style's skeleton only
        f"TODO: call your API here (models/common.py, call_api). This plugin was generated "
        f"as a skeleton and does not talk to {label} yet."
    )
    pieces = {name: fill(f"shared/{name}").rstrip() for name in SHARED_PIECES}
    template = f"{api_style(spec.code.api_style).code_templates}/common"
    return fill(
        template,
        base_url=py_str(spec.code.base_url or ""),
        api_key_field=py_str(api_key_variable(spec)),
        endpoint_field=py_str(endpoint_variable(spec)),
        not_written=py_str(not_written),
        **pieces,
    )


def code_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    sources = layout.python_sources(spec)
    yield "main.py", fill("main").encode()
    yield sources.provider_source, provider_module(spec).encode()
    yield COMMON_MODULE, common_module(spec).encode()
    for source in sources.model_sources:
        directory = source.split("/")[-2] if source.count("/") >= 1 else ""
        if directory not in BY_DIRECTORY:
            continue
        yield source, model_module(spec, directory).encode()
