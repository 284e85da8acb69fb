"""Validation time of one keystroke for plugins of 1, 25, 100 and 250 models (issue 10, part 9),
in process: cold (empty cache) and warm (every model seen before, one edited), with and without
the model digests given. Target: warm with digests under 1 ms at 250 models.

The plugins are the official anthropic plugin (imported from the shared fixtures) with its
models repeated and renamed up to the size.

    .venv/bin/python benchmarks/bench_validate.py [--rounds 200]
"""

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core.parse import import_plugin  # noqa: E402
from designer.core.validation import clear_caches, model_digest, validate  # noqa: E402

FIXTURE = Path("/work/shared/fixtures/dify-official-plugins/anthropic")
SIZES = (1, 25, 100, 250)
TARGET_MS = 1.0


def document_of(count: int) -> dict:
    base = import_plugin(FIXTURE).to_document()
    originals = base["models"]
    models = []
    for i in range(count):
        model = copy.deepcopy(originals[i % len(originals)])
        model["model"] = f"{model['model']}-{i:03d}"
        model["path"] = f"models/llm/copy-{i:03d}.yaml"
        models.append(model)
    base["models"] = models
    base["positions"] = {"llm": [m["model"] for m in models]}
    return base


def keystroke(document: dict, n: int) -> None:
    """One edit in the first model's label, as an autosave would bring."""
    document["models"][0]["label"]["en_US"] = f"Label {n}"


def timed(run, rounds: int) -> tuple[float, float]:
    """Median and best time in ms (the best shows the cost on a machine others share)."""
    times = []
    for n in range(rounds):
        start = time.perf_counter()
        run(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def measure(count: int, rounds: int) -> dict[str, tuple[float, float]]:
    document = document_of(count)
    digests = [model_digest(m) for m in document["models"]]
    assert validate(document).ok

    def cold(n):
        clear_caches()
        validate(document)

    def warm(n):
        keystroke(document, n)
        validate(document)

    def warm_digests(n):
        keystroke(document, n)
        digests[0] = model_digest(document["models"][0])  # the caller hashes what it changed
        validate(document, digests)

    return {
        "cold": timed(cold, max(3, rounds // 20)),
        "warm": timed(warm, rounds),
        "warm+digests": timed(warm_digests, rounds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    print("ms, median / best:")
    print(f"{'models':>6} {'cold':>17} {'warm':>17} {'warm+digests':>17}")
    results = {}
    for count in SIZES:
        results[count] = measure(count, args.rounds)
        cells = [f"{median:8.3f} /{best:7.3f}" for median, best in results[count].values()]
        print(f"{count:>6} " + " ".join(cells))
    median = results[SIZES[-1]]["warm+digests"][0]
    verdict = "meets" if median < TARGET_MS else "misses"
    print(f"warm with digests at {SIZES[-1]} models: {median:.3f} ms, {verdict} {TARGET_MS} ms")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
