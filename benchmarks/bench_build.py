"""Build time for plugins of 10, 100 and 1,000 models (issue 5): render + zip with the spec
core, against writing the same files with bare libyaml and zipfile. Target: at most 1.5x,
growing linearly. Verification by the SDK (a subprocess) is timed separately.

    .venv/bin/python benchmarks/bench_build.py [--rounds 5] [--verify]
"""

import argparse
import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core.archive import zip_tree  # noqa: E402
from designer.core.package import difypkg_bytes  # noqa: E402
from designer.core.render import render  # noqa: E402
from designer.core.render.yaml_files import yaml_data_by_path  # noqa: E402
from designer.core.sdk_check import load_tree_with_sdk  # noqa: E402
from designer.core.validation import validate  # noqa: E402
from tests.core.factories import llm_model, plugin_document  # noqa: E402

SIZES = (10, 100, 1000)
TARGET = 1.5


def spec_of(count: int):
    document = plugin_document(models=[llm_model(f"model-{i:04d}") for i in range(count)])
    report = validate(document)
    assert report.ok, report.errors
    return report.spec


def ours(spec) -> bytes:
    return zip_tree(render(spec))


def bare(spec, other_files: dict[str, bytes]) -> bytes:
    """The same YAML dumped by bare libyaml and every file zipped by bare zipfile."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in yaml_data_by_path(spec).items():
            text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
            archive.writestr(path, text)
        for path, data in other_files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def median_time(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verify", action="store_true", help="also time the SDK verification")
    options = parser.parse_args()
    worst = 0.0
    print(f"{'models':>7} {'ours ms':>9} {'bare ms':>9} {'ratio':>6} {'ms/model':>9}")
    for count in SIZES:
        spec = spec_of(count)
        files = render(spec)
        others = {p: d for p, d in files.items() if p not in yaml_data_by_path(spec)}
        took = median_time(lambda spec=spec: ours(spec), options.rounds)
        baseline = median_time(lambda s=spec, o=others: bare(s, o), options.rounds)
        worst = max(worst, took / baseline)
        line = f"{count:>7} {took * 1e3:>9.1f} {baseline * 1e3:>9.1f} {took / baseline:>5.2f}x"
        print(f"{line} {took / count * 1e3:>9.3f}")
        if options.verify:
            package = median_time(lambda f=files: difypkg_bytes(f), 1)
            start = time.perf_counter()
            load = load_tree_with_sdk(files)
            print(
                f"        .difypkg {package * 1e3:.1f} ms; SDK verification "
                f"{(time.perf_counter() - start):.2f} s ({'ok' if load.ok else load.error})"
            )
    verdict = "meets" if worst <= TARGET else "misses"
    print(f"worst ratio {worst:.2f}x: {verdict} the {TARGET}x target")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
