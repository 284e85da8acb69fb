"""Load plugin folders with Dify's own SDK and write down what it saw.

Run in a subprocess, never imported for its work:

    python -I -B designer/core/sdk_runner.py --out REPORT.json DIR [DIR ...]

This is the only module that imports `dify_plugin`, and only inside `main`: importing the SDK
monkeypatches the process with gevent. For each folder it does what the plugin daemon does when
it starts a plugin (`python -m main` with the folder as cwd): it builds
`PluginRegistration(DifyPluginEnv())`, which reads the manifest, the provider YAML, the model files
found by the provider's globs, the Python classes named in `extra.python` and `_assets/`.

The report is a JSON list with one item per folder, in order:
`{"dir", "ok": true, "manifest", "providers", "models", "model_classes", "provider_class",
"assets"}` or `{"dir", "ok": false, "error"}`. It goes to the `--out` file, not stdout, because
the SDK logs to stdout.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ERROR_LIMIT = 2000


def one_line(text: str, limit: int = ERROR_LIMIT) -> str:
    """Collapse all whitespace (pydantic errors span lines) and cut to `limit` characters."""
    return " ".join(text.split())[:limit]


def describe_error(error: BaseException) -> str:
    return one_line(f"{type(error).__name__}: {error}")


def class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def import_sdk() -> None:
    """Import the SDK (and apply its gevent patching) before any plugin folder is on sys.path."""
    import dify_plugin.core.plugin_registration  # noqa: F401


def register_plugin() -> Any:
    """Build the SDK's registration for the plugin in the current directory."""
    from dify_plugin.config.config import DifyPluginEnv
    from dify_plugin.core.plugin_registration import PluginRegistration

    return PluginRegistration(DifyPluginEnv())


def check_model_classes(configuration: Any, factory: Any) -> None:
    """Every model type the provider declares needs a model class, or the daemon fails later."""
    for model_type in configuration.supported_model_types:
        if model_type not in factory.models:
            sources = ", ".join(configuration.extra.python.model_sources) or "no model_sources"
            msg = f"no model class for model type {model_type.value} (looked in {sources})"
            raise ValueError(msg)


def describe_model(provider: str, entity: Any) -> dict:
    return {
        "provider": provider,
        "model_type": entity.model_type.value,
        "model": entity.model,
        "entity": entity.model_dump(mode="json"),
    }


def describe_registration(registration: Any) -> dict:
    providers: list[dict] = []
    models: list[dict] = []
    model_classes: dict[str, str] = {}
    provider_class = None
    for configuration, provider_instance, factory in registration.models_mapping.values():
        check_model_classes(configuration, factory)
        providers.append(configuration.model_dump(mode="json", exclude={"models"}))
        models.extend(describe_model(configuration.provider, m) for m in configuration.models)
        for model_type, model_cls in factory.models.items():
            model_classes[model_type.value] = class_name(model_cls)
        provider_class = class_name(type(provider_instance))
    return {
        "manifest": registration.configuration.model_dump(mode="json"),
        "providers": providers,
        "models": models,
        "model_classes": model_classes,
        "provider_class": provider_class,
        "assets": sorted(asset.filename for asset in registration.files),
    }


def is_under(path: str | None, folder: str) -> bool:
    if not path:
        return False
    real = os.path.realpath(path)
    return real == folder or real.startswith(folder + os.sep)


def module_is_from(module: Any, folder: str) -> bool:
    """True for modules and namespace packages whose files live in `folder`."""
    if is_under(getattr(module, "__file__", None), folder):
        return True
    search_path = getattr(module, "__path__", None) or ()
    return any(is_under(entry, folder) for entry in search_path)


def forget_modules_from(folder: str) -> None:
    """Drop the plugin's modules (`provider`, `models.llm.llm`, ...) so the next folder's
    modules of the same name are imported afresh. All are picked before any is dropped: a
    namespace package's path is recomputed from its parent's, which must still be there."""
    plugin_modules = [
        name
        for name, module in list(sys.modules.items())
        if module is not None and module_is_from(module, folder)
    ]
    for name in plugin_modules:
        del sys.modules[name]
    importlib.invalidate_caches()


def load_plugin(plugin_dir: str) -> dict:
    """Load one folder; the cwd, sys.path and sys.modules are put back afterwards."""
    saved_cwd = os.getcwd()
    saved_path = list(sys.path)
    folder = os.path.realpath(plugin_dir)
    try:
        os.chdir(folder)
        # `python -m main` puts the plugin folder first on sys.path; the SDK's class loader
        # needs it to find `provider.x` and `models.llm.llm` as modules.
        sys.path.insert(0, folder)
        return {"dir": plugin_dir, "ok": True, **describe_registration(register_plugin())}
    except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure is the report
        return {"dir": plugin_dir, "ok": False, "error": describe_error(error)}
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        forget_modules_from(folder)


def write_report(reports: list[dict], out: Path) -> None:
    text = json.dumps(reports, ensure_ascii=False, indent=None)
    out.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load Dify plugin folders with the Dify SDK.")
    parser.add_argument("--out", required=True, type=Path, help="where to write the JSON report")
    parser.add_argument("dirs", nargs="+", help="plugin folders (each holds a manifest.yaml)")
    args = parser.parse_args(argv)
    sys.dont_write_bytecode = True  # never leave __pycache__ in the folders we load
    try:
        import_sdk()
    except Exception as error:  # noqa: BLE001 - a broken SDK fails every folder
        failure = describe_error(error)
        reports = [{"dir": plugin_dir, "ok": False, "error": failure} for plugin_dir in args.dirs]
    else:
        reports = [load_plugin(plugin_dir) for plugin_dir in args.dirs]
    write_report(reports, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
