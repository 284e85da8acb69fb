"""The plugin's own ``tests/`` (pytest, from ``code_templates/tests``): it loads in the SDK,
every model's schema is valid, every model answers one call on a small fake API the tests start
themselves (``tests/fake_api.py``), and the same calls go to the real API when credentials are
in the environment.

The SDK is used in a subprocess there too: importing it monkeypatches the process with gevent.
"""

import re
from collections.abc import Iterator

from ..credential_roles import api_key_variable, endpoint_variable
from ..model_types import BY_MODEL_TYPE
from ..spec import DesignSpec
from .code import provider_check_model, py_str
from .template_files import fill
from .yaml_files import RenderedFile

# Modules beside test_plugin.py: the fake API, and the calls run in the SDK
HELPERS = ("fake_api", "model_calls")
TEST_FILES = ["tests/test_plugin.py", *(f"tests/{helper}.py" for helper in HELPERS)]


def py_list(items: list[str]) -> str:
    """A list literal of Python expressions, one per line as ruff formats it."""
    if not items:
        return "[]"
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def env_prefix(spec: DesignSpec) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", spec.provider.provider).strip("_").upper() or "PLUGIN"


def plugin_test_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    prefix = env_prefix(spec)  # letters, digits and "_" only: safe as it is in the code
    types = sorted({t for t in spec.provider.supported_model_types if t in BY_MODEL_TYPE})
    source = fill(
        "tests/test_plugin",
        models=py_list([f"[{py_str(m.model)}, {py_str(m.model_type)}]" for m in spec.models]),
        key_env=f"{prefix}_API_KEY",
        url_env=f"{prefix}_ENDPOINT_URL",
        api_key_field=py_str(api_key_variable(spec)),
        endpoint_field=py_str(endpoint_variable(spec)),
        types=f"[{', '.join(py_str(t) for t in types)}]",
        checks_credentials=str(provider_check_model(spec) is not None),
    )
    yield "tests/__init__.py", b""
    yield "tests/test_plugin.py", source.encode()
    for helper in HELPERS:
        yield f"tests/{helper}.py", fill(f"tests/{helper}").encode()
