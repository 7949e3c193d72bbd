"""Time polcat commands as whole processes: median, min and max of several runs.

    python benchmarks/commands.py [--runs 11] [--catalogue DIR]

Uses the `polcat` on PATH next to the running Python (the installed one). Each command
runs once untimed first so that the file system cache is warm, as it is for a user.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = [
    ["--version"],
    ["list"],
    ["list", "--locality", "贵州", "--theme", "cadre-accountability"],
    ["search", "三變"],
    ["search", "san ding"],
    ["show", "chishui-sanding"],
    ["related", "chishui-sanding"],
    ["validate"],
]


def polcat_command() -> list[str]:
    exe = Path(sys.executable).with_name("polcat")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("polcat")
    return [found] if found else [sys.executable, "-m", "polcat"]


def time_command(argv: list[str], runs: int, env: dict) -> list[float]:
    subprocess.run(argv, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[:500]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--catalogue", help="catalogue directory (default: the shipped one)")
    args = parser.parse_args()
    env = {**os.environ, "NO_COLOR": "1"}
    if args.catalogue:
        env["POLCAT_CATALOGUE"] = args.catalogue
    base = polcat_command()
    print("| command | median ms | min ms | max ms |\n|---|---:|---:|---:|")
    for cmd in COMMANDS:
        times = [t * 1000 for t in time_command(base + cmd, args.runs, env)]
        print(f"| `polcat {' '.join(cmd)}` | {statistics.median(times):.0f} | {min(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
