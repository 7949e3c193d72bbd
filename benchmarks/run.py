"""polcat against its peers and the physical floor, on synthetic catalogues.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 5] [--work /tmp/polcat-bench]
    python benchmarks/run.py --sizes 100000 --runs 1 --only validate --no-peer   # about 5 minutes
    python benchmarks/run.py --sizes 100000 --runs 3 --warm-only --no-peer       # the queries, warm

For each size it generates a catalogue (benchmarks/generate.py; kept in the work folder
and reused while generate.py is unchanged), then times whole processes (median, min, max
wall time, and peak memory: the largest resident set of any process of the run, workers
included; every file of the catalogue is read once, untimed, before each run):

- polcat commands, cold (empty cache) and warm (cache filled by the previous run);
  ``validate`` cold twice: on every core (the default) and in one process (``--jobs 1``);
- the peer: ``check-jsonschema --schemafile <mechanism schema> <every entry>`` (schema
  check only, with the schema's $refs inlined so it needs no network);
- the floor: a bare Python process that only parses every file with libyaml's C loader;
- the stat floor: a bare Python process that only stats every file of the catalogue. A
  correct cache must look at every file's stamp, so no warm query can beat it: each warm
  figure is also given as a ratio to it;
- "edit one file, query again": one entry file is changed before each run of
  ``polcat show`` (warm otherwise), as after a curator's edit.

Needs ``pip install check-jsonschema`` for the peer (skipped, and said, when missing).
"""

from __future__ import annotations

import argparse
import hashlib
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


STAT_FLOOR = """
import os, sys
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        os.stat(os.path.join(folder, name))
"""


def read_every_file(folder: Path) -> None:
    """Read the catalogue once, untimed, so that every run finds it in the file system's
    cache, as a user's command does (the standard machine pages out what has not been read
    for a while: at 100,000 files a run could otherwise wait minutes on the disk)."""
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as fh:
                fh.read()


def measure(argv: list[str], env: dict, runs: int, before=None, reads: Path | None = None) -> dict:
    """Wall time and peak RSS of ``runs`` runs of a command; ``before`` runs before each,
    and then the folder ``reads`` is read."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        if reads is not None:
            read_every_file(reads)
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
    from polcat.schema import SCHEMA_FILES, inline_refs, load_schemas

    schemas = load_schemas(locate.schemas_dir())
    by_id = {s["$id"]: s for s in schemas.values()}
    root = schemas[SCHEMA_FILES["mechanism"]]
    bundled = {"$schema": root["$schema"], **inline_refs(root, root["$id"], by_id)}
    path = out / "mechanism.bundled.schema.json"
    path.write_text(json.dumps(bundled, ensure_ascii=False), encoding="utf-8")
    return path


def polcat_argv(given: str | None = None) -> list[str]:
    if given:
        return given.split()
    exe = Path(sys.executable).with_name("polcat")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "polcat"]


def catalogue_of(n: int, work: Path) -> Path:
    """The generated catalogue of ``n`` entries, made once per version of generate.py."""
    catalogue = work / f"catalogue-{n}"
    version = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:12]
    done = work / f"catalogue-{n}.generated"
    if not (done.exists() and done.read_text() == version and (catalogue / "localities.yaml").exists()):
        print(f"generating {n:,} entries …", file=sys.stderr)
        done.unlink(missing_ok=True)
        generate(catalogue, n)
        done.write_text(version)
    return catalogue


VALIDATE_COLD = "polcat validate (cold, every core)"
VALIDATE_SERIAL = "polcat validate --jobs 1 (cold)"
VALIDATE_WARM = "polcat validate (warm)"
FLOOR_LABEL = "floor: parse every file (CSafeLoader)"
STAT_FLOOR_LABEL = "stat floor: stat every file"
EDIT_LABEL = "polcat show {} after editing one file"
PEER_LABEL = "check-jsonschema (schema only)"


def run_size(
    n: int, work: Path, runs: int, only: list[str], peer_wanted: bool, polcat: list[str], warm_only: bool = False
) -> list[tuple[str, dict]]:
    catalogue = catalogue_of(n, work)
    cache = work / f"cache-{n}"
    env = {**os.environ, "NO_COLOR": "1", "POLCAT_CATALOGUE": str(catalogue), "POLCAT_CACHE_DIR": str(cache)}
    # As installed: pip compiles polcat's bytecode at install time, so a user's process
    # never compiles polcat's sources. Without bytecode (this variable set, as some
    # development shells do, with an editable install) every run would compile them,
    # about 50 ms that no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    some_id = f"gen-{n // 2:06d}"
    # The second province (one of 31 at 100,000 entries); small catalogues have one.
    has_second = "id: prov01\n" in (catalogue / "localities.yaml").read_text(encoding="utf-8")
    province = "prov01" if has_second else "prov00"
    commands = [
        ("polcat --version", ["--version"]),
        ("polcat list", ["list"]),
        ("polcat list -f json", ["list", "-f", "json"]),
        (
            f"polcat list --theme training --locality {province}",
            ["list", "--theme", "training", "--locality", province],
        ),
        ("polcat search 三定", ["search", "三定"]),
        ("polcat search san ding", ["search", "san ding"]),
        (f"polcat show {some_id}", ["show", some_id]),
        (f"polcat related {some_id}", ["related", some_id]),
        ("polcat matrix", ["matrix"]),
        ("polcat export -f jsonl", ["export", "-f", "jsonl"]),
        ("polcat graph", ["graph"]),
    ]
    wanted = lambda label: not only or any(word in label for word in only)  # noqa: E731
    results = []
    for label, args in commands:
        if not wanted(label):
            continue
        if args == ["--version"]:
            results.append((label, measure(polcat + args, env, runs)))
            continue
        if not warm_only:
            results.append((f"{label} (cold)", measure(polcat + args, env, runs, before=clear, reads=catalogue)))
        measure(polcat + args, env, 1)  # fill the cache
        results.append((f"{label} (warm)", measure(polcat + args, env, runs, reads=catalogue)))
    if wanted(EDIT_LABEL):
        show = [*polcat, "show", some_id]
        measure(show, env, 1)
        edited = next((catalogue / "mechanisms").rglob(f"gen-{n // 3:06d}.yaml"))
        original = edited.read_bytes()
        runs_done = [0]

        def edit() -> None:  # a different comment each run: a new stamp and new content
            runs_done[0] += 1
            edited.write_bytes(original + f"# edited {runs_done[0]}\n".encode())

        try:
            results.append((EDIT_LABEL.format(some_id), measure(show, env, runs, before=edit, reads=catalogue)))
        finally:
            edited.write_bytes(original)
    if wanted("polcat validate") and not warm_only:
        results.append((VALIDATE_COLD, measure([*polcat, "validate"], env, runs, before=clear, reads=catalogue)))
        results.append(
            (VALIDATE_SERIAL, measure([*polcat, "validate", "--jobs", "1"], env, runs, before=clear, reads=catalogue))
        )
        measure([*polcat, "validate"], env, 1)  # fill the cache (and its schema verdicts)
        results.append((VALIDATE_WARM, measure([*polcat, "validate"], env, runs, reads=catalogue)))
    peer = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if not peer_wanted or warm_only:
        pass
    elif Path(peer).exists():
        files = sorted(str(p) for p in (catalogue / "mechanisms").rglob("*.yaml"))
        schema = bundled_schema(work)
        # Batches of 5,000 files keep the command line under the system's limit; times add up.
        batches = [files[i : i + 5000] for i in range(0, len(files), 5000)]
        read_every_file(catalogue)
        parts = [measure([peer, "--schemafile", str(schema), *batch], env, runs) for batch in batches]
        results.append((PEER_LABEL, _sum(parts)))
    else:
        print("check-jsonschema is not installed: peer skipped (pip install check-jsonschema)", file=sys.stderr)
    if not warm_only:
        results.append(
            (FLOOR_LABEL, measure([sys.executable, "-c", FLOOR, str(catalogue)], env, runs, reads=catalogue))
        )
    results.append(
        (STAT_FLOOR_LABEL, measure([sys.executable, "-c", STAT_FLOOR, str(catalogue)], env, runs, reads=catalogue))
    )
    return results


def _sum(parts: list[dict]) -> dict:
    return {key: sum(p[key] for p in parts) for key in ("median", "min", "max")} | {
        "peak_mb": max(p["peak_mb"] for p in parts)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "polcat-bench")
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="WORD",
        help="time only the polcat commands whose label holds one of these words (e.g. validate)",
    )
    parser.add_argument(
        "--no-peer", action="store_true", help="skip check-jsonschema (about 5 minutes a run at 100,000)"
    )
    parser.add_argument(
        "--polcat", help="the command that runs polcat (default: the polcat next to this Python, else python -m polcat)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--warm-only", action="store_true", help="only warm runs (and the stat floor): no cold runs, floor or peer"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    everything = {}
    for n in args.sizes:
        results = run_size(
            n, args.work, args.runs, args.only, not args.no_peer, polcat_argv(args.polcat), args.warm_only
        )
        everything[n] = dict(results)
        print(f"\n### {n:,} entries\n")
        print("| command | median s | min s | max s | peak MB |\n|---|---:|---:|---:|---:|")
        for label, r in results:
            print(f"| `{label}` | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} | {r['peak_mb']:.0f} |")
        _ratios(everything[n])
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2), encoding="utf-8")


def _ratios(r: dict) -> None:
    stat_floor = r[STAT_FLOOR_LABEL]["median"]
    for label, result in r.items():
        if label.endswith("(warm)") or (label.startswith("polcat show") and "editing" in label):
            print(f"- {label}: {result['median'] / stat_floor:.2f}× the stat floor, {result['peak_mb']:.0f} MB")
    if FLOOR_LABEL not in r:
        return
    floor = r[FLOOR_LABEL]["median"]
    peer = r.get(PEER_LABEL, {}).get("median")
    for label in (VALIDATE_COLD, VALIDATE_SERIAL, VALIDATE_WARM):
        if label not in r:
            continue
        ours = r[label]["median"]
        line = f"- {label}: {ours / floor:.2f}× the parse floor"
        if peer:
            line += f", {peer / ours:.1f}× faster than check-jsonschema's schema check"
        print(line)


if __name__ == "__main__":
    main()
