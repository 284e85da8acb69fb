"""The ways generated code can talk to a provider's API, in one table.

Everything that differs between styles is a field here; the renderer looks a style up by the
spec's ``code.api_style`` and never compares the name itself.
"""

from dataclasses import dataclass

DIFY_PLUGIN_REQUIREMENT = "dify_plugin>=0.10.2,<0.11"


@dataclass(frozen=True)
class ApiStyle:
    name: str  # the value of code.api_style in a spec
    label: str  # how a person would call it
    # The folder of render/code_templates holding common.py.tmpl and one <type dir>.py.tmpl
    # per model type.
    code_templates: str
    # Whether the generated code calls the endpoint_url credential (falling back to the base
    # URL): its endpoint fields then default to the base URL, and the README names both.
    calls_endpoint: bool
    readme_summary: str  # the README's sentence on what the code does, without its full stop
    requirements: tuple[str, ...]  # requirements.txt, and the pyproject's dependencies
    skeleton: bool = False  # its models/common.py leaves the API call to write


# The first is the style of a spec that names none.
STYLES: tuple[ApiStyle, ...] = (
    ApiStyle(
        name="openai-compatible",
        label="OpenAI-compatible API",
        code_templates="openai_compatible",
        calls_endpoint=True,
        readme_summary="It talks to an OpenAI-compatible API",
        requirements=(DIFY_PLUGIN_REQUIREMENT,),
    ),
    ApiStyle(
        name="custom",
        label="Custom API (code skeleton to complete)",
        code_templates="custom",
        calls_endpoint=False,
        readme_summary=(
            "Its code is a skeleton: write the API call in `models/common.py` (`call_api`)"
        ),
        requirements=(DIFY_PLUGIN_REQUIREMENT,),
        skeleton=True,
    ),
)

API_STYLES = tuple(style.name for style in STYLES)
_BY_NAME = {style.name: style for style in STYLES}


def api_style(name: str) -> ApiStyle:
    """The style called ``name`` (a spec's code.api_style is one of API_STYLES)."""
    return _BY_NAME[name]
