"""polcat against its peers and the physical floor, on synthetic catalogues.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 5] [--work /tmp/polcat-bench]

For each size it generates a catalogue (benchmarks/generate.py), then times whole
processes (median, min, max wall time and peak memory of each):

- polcat commands, cold (empty cache) and warm (cache filled by the previous run);
- the peer: ``check-jsonschema --schemafile <mechanism schema> <every entry>`` (schema
  check only, with the schema's $refs inlined so it needs no network);
- the floor: a bare Python process that only parses every file with libyaml's C loader.

Needs ``pip install check-jsonschema`` for the peer (skipped, and said, when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR = """
import os, sys, yaml
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith('.yaml'):
            with open(os.path.join(folder, name), 'rb') as fh:
                yaml.load(fh.read(), Loader=yaml.CSafeLoader)
"""


def measure(argv: list[str], env: dict, runs: int, before=None) -> dict:
    """Wall time and peak RSS of ``runs`` runs of a command; ``before`` runs before each."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(argv[:4])} … exited {code}: {proc.stderr.read().decode()[:400]}")
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "peak_mb": max(peaks)}


def bundled_schema(out: Path) -> Path:
    from polcat import locate
    from polcat.schema import SCHEMA_FILES, _inline, _load_all

    schemas = _load_all(locate.schemas_dir())
    by_id = {s["$id"]: s for s in schemas.values()}
    root = schemas[SCHEMA_FILES["mechanism"]]
    bundled = {"$schema": root["$schema"], **_inline(root, root["$id"], by_id)}
    path = out / "mechanism.bundled.schema.json"
    path.write_text(json.dumps(bundled, ensure_ascii=False), encoding="utf-8")
    return path


def polcat_argv() -> list[str]:
    exe = Path(sys.executable).with_name("polcat")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "polcat"]


def run_size(n: int, work: Path, runs: int) -> list[tuple[str, dict]]:
    catalogue = work / f"catalogue-{n}"
    if not (catalogue / "localities.yaml").exists():
        print(f"generating {n} entries …", file=sys.stderr)
        generate(catalogue, n)
    cache = work / f"cache-{n}"
    env = {**os.environ, "NO_COLOR": "1", "POLCAT_CATALOGUE": str(catalogue), "POLCAT_CACHE_DIR": str(cache)}
    clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    polcat = polcat_argv()
    some_id = f"gen-{n // 2:06d}"
    commands = [
        ("polcat --version", ["--version"]),
        ("polcat list", ["list"]),
        ("polcat list --theme training --locality prov01", ["list", "--theme", "training", "--locality", "prov01"]),
        ("polcat search 三定", ["search", "三定"]),
        (f"polcat show {some_id}", ["show", some_id]),
        ("polcat validate", ["validate"]),
    ]
    results = []
    for label, args in commands:
        if args == ["--version"]:
            results.append((label, measure(polcat + args, env, runs)))
            continue
        results.append((f"{label} (cold)", measure(polcat + args, env, runs, before=clear)))
        measure(polcat + args, env, 1)  # fill the cache
        results.append((f"{label} (warm)", measure(polcat + args, env, runs)))
    files = sorted(str(p) for p in (catalogue / "mechanisms").rglob("*.yaml"))
    peer = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if Path(peer).exists():
        schema = bundled_schema(work)
        # Batches of 5,000 files keep the command line under the system's limit; times add up.
        batches = [files[i : i + 5000] for i in range(0, len(files), 5000)]
        parts = [measure([peer, "--schemafile", str(schema), *batch], env, runs) for batch in batches]
        results.append(("check-jsonschema (schema only)", _sum(parts)))
    else:
        print("check-jsonschema is not installed: peer skipped (pip install check-jsonschema)", file=sys.stderr)
    results.append(("floor: parse every file (CSafeLoader)", measure([sys.executable, "-c", FLOOR, str(catalogue)], env, runs)))
    return results


def _sum(parts: list[dict]) -> dict:
    return {key: sum(p[key] for p in parts) for key in ("median", "min", "max")} | {"peak_mb": max(p["peak_mb"] for p in parts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "polcat-bench")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    everything = {}
    for n in args.sizes:
        results = run_size(n, args.work, args.runs)
        everything[n] = dict(results)
        print(f"\n### {n:,} entries\n")
        print("| command | median s | min s | max s | peak MB |\n|---|---:|---:|---:|---:|")
        for label, r in results:
            print(f"| `{label}` | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} | {r['peak_mb']:.0f} |")
        _ratios(everything[n])
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2), encoding="utf-8")


def _ratios(r: dict) -> None:
    floor = r["floor: parse every file (CSafeLoader)"]["median"]
    peer = r.get("check-jsonschema (schema only)", {}).get("median")
    for mode in ("cold", "warm"):
        ours = r[f"polcat validate ({mode})"]["median"]
        line = f"- validate ({mode}): {ours / floor:.2f}× the parse floor"
        if peer:
            line += f", {peer / ours:.1f}× faster than check-jsonschema's schema check"
        print(line)


if __name__ == "__main__":
    main()
