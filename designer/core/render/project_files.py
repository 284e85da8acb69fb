"""Files around the code: dependencies, ignore rules, debugging settings, README and privacy."""

from collections.abc import Iterator

from ..spec import DesignSpec
from .yaml_files import RenderedFile

DIFY_PLUGIN_REQUIREMENT = "dify_plugin>=0.10.2,<0.11"

DIFYIGNORE = """\
.venv/
__pycache__/
*.py[cod]
.pytest_cache/
.ruff_cache/
.env
*.difypkg
tests/
"""

ENV_EXAMPLE = """\
INSTALL_METHOD=remote
REMOTE_INSTALL_URL=debug.dify.ai:5003
REMOTE_INSTALL_KEY=********-****-****-****-************
"""


def requirements_txt(spec: DesignSpec) -> str:
    return f"{DIFY_PLUGIN_REQUIREMENT}\n"


def pyproject_toml(spec: DesignSpec) -> str:
    version = spec.manifest.version
    return (
        "[project]\n"
        f'name = "{spec.manifest.name}"\n'
        f'version = "{version}"\n'
        'requires-python = ">=3.12"\n'
        f'dependencies = ["{DIFY_PLUGIN_REQUIREMENT}"]\n'
    )


def readme_md(spec: DesignSpec) -> str:
    label = spec.manifest.label.get("en_US", spec.manifest.name)
    description = spec.manifest.description.get("en_US", "")
    return f"# {label}\n\n{description}\n"


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
