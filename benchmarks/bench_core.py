"""Parse and render the official fixture plugins many times; print the time per YAML file and
its ratio to a bare libyaml round trip (yaml.load with CSafeLoader + dump with CSafeDumper) of
the same files. Target (issue 2): at most 3x.

    .venv/bin/python benchmarks/bench_core.py [--rounds 20]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core.archive import read_plugin_source  # noqa: E402
from designer.core.parse import parse_tree  # noqa: E402
from designer.core.render import render  # noqa: E402

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
TARGET = 3.0


def yaml_files(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.endswith((".yaml", ".yml"))}


def bare_round_trip(files: dict[str, bytes]) -> None:
    for data in yaml_files(files).values():
        yaml.dump(
            yaml.load(data, Loader=yaml.CSafeLoader),
            Dumper=yaml.CSafeDumper,
            sort_keys=False,
            allow_unicode=True,
        )


def ours(files: dict[str, bytes]) -> None:
    render(parse_tree(files))


def ours_rewritten(files: dict[str, bytes]) -> None:
    spec = parse_tree(files)
    spec.originals = {}  # every YAML file dumped again from the spec
    render(spec)


def best_of(function, trees, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for files in trees:
            function(files)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    trees = [read_plugin_source(path) for path in sorted(FIXTURES.iterdir()) if path.is_dir()]
    count = sum(len(yaml_files(files)) for files in trees)
    bare = best_of(bare_round_trip, trees, rounds)
    print(f"{len(trees)} plugins, {count} YAML files, median of {rounds} rounds")
    print(f"bare libyaml load+dump: {bare / count * 1e3:.3f} ms per YAML file")
    worst = 0.0
    for name, function in [("import + build", ours), ("import + build, rewritten", ours_rewritten)]:
        took = best_of(function, trees, rounds)
        ratio = took / bare
        worst = max(worst, ratio)
        print(f"{name}: {took / count * 1e3:.3f} ms per YAML file, {ratio:.2f}x bare")
    verdict = "meets" if worst <= TARGET else "misses"
    print(f"worst ratio {worst:.2f}x: {verdict} the {TARGET:.0f}x target")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
