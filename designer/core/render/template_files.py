"""The generated Python, kept as files under ``code_templates/`` that read as the Python they
become.

A template is filled with ``string.Template``: ``$name`` stands for a value the renderer gives,
``$$`` for a dollar sign. Values are Python the renderer made safe (``py_str`` literals, class
names from validated ids); what is substituted is never read as a template again.

    code_templates/
      main.py.tmpl, provider.py.tmpl, provider_without_models.py.tmpl
      shared/*.py.tmpl                 pieces both styles put in models/common.py
      <style>/common.py.tmpl           models/common.py of an API style
      <style>/<type dir>.py.tmpl       the model class of each model type
      tests/test_plugin.py.tmpl        the plugin's own tests
"""

from functools import cache
from importlib.resources import files
from string import Template

FOLDER = "code_templates"
SUFFIX = ".py.tmpl"


@cache
def code_template(name: str) -> Template:
    """The template ``code_templates/<name>.py.tmpl`` (``name`` like ``custom/llm``)."""
    source = files(__package__).joinpath(FOLDER, *f"{name}{SUFFIX}".split("/"))
    return Template(source.read_text(encoding="utf-8"))


def fill(name: str, **values: str) -> str:
    """The text of a template with every placeholder given (a missing one is a KeyError)."""
    return code_template(name).substitute(values)


def template_names() -> list[str]:
    """The name of every template file, as ``code_template`` takes it."""
    names = []
    stack = [(files(__package__).joinpath(FOLDER), "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append((entry, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(SUFFIX):
                names.append(prefix + entry.name.removesuffix(SUFFIX))
    return sorted(names)
