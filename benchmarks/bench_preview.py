"""Server time of one live-preview request for a model with 10 parameter rules (issue 4):
the posted form applied to the spec, the whole plugin validated, the model's file rendered,
highlighted and the preview partial rendered. Target: p95 under 5 ms. Also prints the ratio to a
bare libyaml dump of the same model data. (The draft's one-row UPDATE is left out: it is the
database's time, not the designer's.)

    .venv/bin/python benchmarks/bench_preview.py [--requests 500]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from designer.editor.context import preview_context  # noqa: E402
from designer.editor.formdata import apply_form  # noqa: E402
from tests.core.factories import llm_model, plugin_document  # noqa: E402

TARGET_MS = 5.0
TEMPLATES = ["temperature", "top_p", "top_k", "presence_penalty", "frequency_penalty"]


def document_with_ten_rules() -> dict:
    model = llm_model("bench-chat")
    rules = [{"name": t, "use_template": t} for t in TEMPLATES]
    rules.append({"name": "max_tokens", "use_template": "max_tokens", "min": 1, "max": 4096})
    for name in ["seed", "repetition_penalty", "reasoning_effort", "enable_thinking"]:
        rules.append({"name": name, "label": {"en_US": name}, "type": "string"})
    model["parameter_rules"] = rules
    return plugin_document(models=[model])


def posted_form(i: int) -> QueryDict:
    data = QueryDict(mutable=True)
    data["_version"] = "1"
    data["models[0].label.en_US"] = f"Bench chat {i}"
    data["models[0].model_properties.context_size:int"] = "8192"
    data["models[0].parameter_rules[5].max:number"] = str(1000 + i % 3000)
    return data


def one_request(document: dict, i: int) -> str:
    updated = apply_form(document, posted_form(i), ("models[0]",))
    context = preview_context(updated, "model", 0)
    return render_to_string("editor/_preview.html", context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    count = parser.parse_args().requests
    document = document_with_ten_rules()
    for i in range(20):
        one_request(document, i)  # warm up template and import caches
    times = []
    for i in range(count):
        start = time.perf_counter()
        one_request(document, i)
        times.append((time.perf_counter() - start) * 1e3)
    data = document["models"][0]
    bare = []
    for _ in range(count):
        start = time.perf_counter()
        yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        bare.append((time.perf_counter() - start) * 1e3)
    p95 = statistics.quantiles(times, n=20)[-1]
    median, bare_median = statistics.median(times), statistics.median(bare)
    print(f"{count} preview requests, model with 10 parameter rules")
    print(f"median {median:.2f} ms, p95 {p95:.2f} ms (target p95 < {TARGET_MS} ms)")
    print(
        f"bare libyaml dump of the model: median {bare_median:.3f} ms; "
        f"ratio {median / bare_median:.1f}x"
    )
    print("meets the target" if p95 < TARGET_MS else "misses the target")
    return 0 if p95 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
