"""Files around the code: dependencies, ignore rules, debugging settings, README, privacy and
the changelog."""

import json
from collections.abc import Iterator
from decimal import Decimal

from ..api_styles import api_style
from ..changes import first_changelog
from ..package import package_file_name
from ..spec import DesignSpec, Model
from .plugin_tests import env_prefix
from .yaml_files import RenderedFile

DIFYIGNORE = """\
# Earlier packages, virtual environments, caches and local secrets stay out of the package.
*.difypkg
.venv/
venv/
.uv-cache/
__pycache__/
*.py[cod]
.pytest_cache/
.ruff_cache/
.mypy_cache/
.cache/
*.egg-info/
.git/
.DS_Store
.env
"""

ENV_EXAMPLE = """\
# Remote debugging: copy to .env and fill in from Dify's Plugins -> Debug page.
INSTALL_METHOD=remote
REMOTE_INSTALL_URL=debug.dify.ai:5003
REMOTE_INSTALL_KEY=********-****-****-****-************
"""


def requirements_txt(spec: DesignSpec) -> str:
    return "".join(
        f"{requirement}\n" for requirement in api_style(spec.code.api_style).requirements
    )


def pyproject_toml(spec: DesignSpec) -> str:
    # json.dumps gives a TOML basic string for any text (same escapes).
    requirements = api_style(spec.code.api_style).requirements
    return (
        "[project]\n"
        f"name = {json.dumps(spec.manifest.name)}\n"
        f"version = {json.dumps(spec.manifest.version)}\n"
        'requires-python = ">=3.12"\n'
        f"dependencies = [{', '.join(json.dumps(r) for r in requirements)}]\n\n"
        "[project.optional-dependencies]\n"
        'dev = ["pytest>=8"]\n\n'
        "[tool.pytest.ini_options]\n"
        'testpaths = ["tests"]\n\n'
        "[tool.ruff]\n"
        "line-length = 100\n"
    )


def md(text: str) -> str:
    """Text for one line or table cell of Markdown."""
    return " ".join(text.split()).replace("|", "\\|")


def model_type(model: Model) -> str:
    mode = model.model_properties.mode
    return f"{model.model_type} ({md(mode)})" if mode else model.model_type


def model_features(model: Model) -> str:
    return ", ".join(model.features or []) or "-"


def tokens_per_price(unit: Decimal) -> str:
    """A price applies to 1/unit tokens: unit 0.000001 is per 1M tokens."""
    if unit <= 0:
        return f"unit {unit}"
    tokens = 1 / unit
    for size, name in ((10**6, "1M"), (10**3, "1K")):
        if tokens == size:
            return f"{name} tokens"
    if tokens == 1:
        return "token"
    return f"{tokens.normalize():,f} tokens"


def model_price(model: Model) -> str:
    pricing = model.pricing
    if pricing is None:
        return "-"
    per = f"{pricing.currency} per {tokens_per_price(pricing.unit)}"
    if pricing.output is None:
        return f"{pricing.input} {per}"
    return f"in {pricing.input} / out {pricing.output} {per}"


def models_table(spec: DesignSpec) -> str:
    if not spec.models:
        return "No predefined models: add your own models in Dify.\n"
    rows = ["| Model | Type | Features | Context size | Price |", "|---|---|---|---|---|"]
    for model in spec.models:
        context = model.model_properties.context_size
        rows.append(
            f"| {md(model.model)} | {model_type(model)} | {md(model_features(model))} "
            f"| {context if context is not None else '-'} | {model_price(model)} |"
        )
    return "\n".join(rows) + "\n"


def readme_md(spec: DesignSpec) -> str:
    label = md(spec.manifest.label.get("en_US", spec.manifest.name))
    package = md(package_file_name(spec.manifest.name, spec.manifest.version))
    description = md(spec.manifest.description.get("en_US", ""))
    style = api_style(spec.code.api_style)
    summary = style.readme_summary
    if style.calls_endpoint and spec.code.base_url:
        summary += f" at `{md(spec.code.base_url)}`"
    return f"""# {label}

{description}

{summary}. Model types: {", ".join(spec.provider.supported_model_types)}.

## Models

{models_table(spec)}
## Install

Download `{package}` and, in Dify, open **Plugins → Install plugin →
Local package file**. Dify installs only packages signed with a key it trusts: if this one is
signed with your team's key, add that public key to the plugin daemon's
`THIRD_PARTY_SIGNATURE_VERIFICATION_PUBLIC_KEYS`; if it is not signed, set
`FORCE_VERIFYING_SIGNATURE=false` in the plugin daemon's environment before installing.
Then enter your API key{" and endpoint URL" if style.calls_endpoint else ""}
under **Settings → Model providers**.

## Debug

1. `cp .env.example .env` and put the debugging key from Dify's **Plugins → Debug** into
   `REMOTE_INSTALL_KEY` (and its host into `REMOTE_INSTALL_URL`).
2. `python -m venv .venv && .venv/bin/pip install -r requirements.txt`
3. `.venv/bin/python -m main`: the plugin shows up in Dify as being debugged.

## Tests

`.venv/bin/pip install pytest && .venv/bin/python -m pytest` runs the offline checks: the
plugin loads, and every model answers one call on the small API `tests/fake_api.py` starts. Set
`{env_prefix(spec)}_API_KEY` (and `{env_prefix(spec)}_ENDPOINT_URL`) to make the same calls on
the real API: they fail with a wrong key or an endpoint that does not answer.
"""


def privacy_md(spec: DesignSpec) -> str:
    label = spec.manifest.label.get("en_US", spec.manifest.name)
    return (
        f"# Privacy policy of {label}\n\n"
        "This plugin sends the prompts, files and parameters you give a model to the model "
        "provider's API, with the credentials you configure. It stores nothing itself.\n"
    )


def project_files(spec: DesignSpec) -> Iterator[RenderedFile]:
    yield "requirements.txt", requirements_txt(spec).encode()
    yield "pyproject.toml", pyproject_toml(spec).encode()
    yield ".difyignore", DIFYIGNORE.encode()
    yield ".env.example", ENV_EXAMPLE.encode()
    yield "README.md", readme_md(spec).encode()
    yield "PRIVACY.md", privacy_md(spec).encode()
    # Each version bump the designer applies writes its entry into the plugin's own copy.
    yield "CHANGELOG.md", first_changelog(spec.manifest.version).encode()
