"""Files around the code: dependencies, ignore rules, debugging settings, README and privacy."""

import json
from collections.abc import Iterator

from ..api_styles import api_style
from ..spec import DesignSpec, Model
from .plugin_tests import env_prefix
from .yaml_files import RenderedFile

DIFYIGNORE = """\
.venv/
__pycache__/
*.py[cod]
.pytest_cache/
.ruff_cache/
.env
*.difypkg
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


def model_features(model: Model) -> str:
    parts = list(model.features or [])
    if model.model_properties.mode:
        parts.insert(0, model.model_properties.mode)
    return ", ".join(parts) or "-"


def model_price(model: Model) -> str:
    pricing = model.pricing
    if pricing is None:
        return "-"
    per = f"{pricing.currency} per {pricing.unit} token(s)"
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
            f"| {md(model.model)} | {model.model_type} | {md(model_features(model))} "
            f"| {context if context is not None else '-'} | {model_price(model)} |"
        )
    return "\n".join(rows) + "\n"


def readme_md(spec: DesignSpec) -> str:
    label = md(spec.manifest.label.get("en_US", spec.manifest.name))
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

Download `{md(spec.manifest.name)}.difypkg` and, in Dify, open **Plugins → Install plugin →
Local package file**. The package is not signed: set `FORCE_VERIFYING_SIGNATURE=false` in the
plugin daemon's environment (or sign it with a third-party key Dify trusts) before installing.
Then enter your API key{" and endpoint URL" if style.calls_endpoint else ""}
under **Settings → Model providers**.

## Debug

1. `cp .env.example .env` and put the debugging key from Dify's **Plugins → Debug** into
   `REMOTE_INSTALL_KEY` (and its host into `REMOTE_INSTALL_URL`).
2. `python -m venv .venv && .venv/bin/pip install -r requirements.txt`
3. `.venv/bin/python -m main`: the plugin shows up in Dify as being debugged.

## Tests

`.venv/bin/pip install pytest && .venv/bin/python -m pytest` runs the offline checks. Set
`{env_prefix(spec)}_API_KEY` (and `{env_prefix(spec)}_ENDPOINT_URL`) to also call the API.
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
