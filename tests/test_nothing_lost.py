"""Nothing lost: writes are atomic even when the process is killed, and reading commands
never touch the catalogue."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import invoke

WRITER = """
import sys
from pathlib import Path
from polcat.textio import atomic_write
target, a, b = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
texts = [open(a, encoding="utf-8").read(), open(b, encoding="utf-8").read()]
print("ready", flush=True)
i = 0
while True:
    atomic_write(target, texts[i % 2], force=True)
    i += 1
"""


def test_a_write_killed_midway_leaves_the_old_file_or_the_new_one(tmp_path):
    old = "旧" * 10 + "\n"
    versions = {"a": "甲" * 3_000_000 + "\n", "b": "乙" * 2_500_000 + "\n"}  # ~9 MB and ~7.5 MB: writes take time
    for name, text in versions.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    target = tmp_path / "entry.yaml"
    rng = random.Random(7)
    for attempt in range(6):
        target.write_text(old, encoding="utf-8")
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert target.read_text(encoding="utf-8") in (old, *versions.values()), f"torn write on attempt {attempt}"
    # a killed writer may leave its hidden temporary file; the catalogue loader never reads dot-files
    assert all(p.name.startswith(".entry.yaml.") for p in tmp_path.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_refuses_to_clobber(tmp_path):
    from polcat.textio import atomic_write

    target = tmp_path / "entry.yaml"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        atomic_write(target, "theirs\n")
    assert target.read_text(encoding="utf-8") == "mine\n"
    atomic_write(target, "theirs\n", force=True)
    assert target.read_text(encoding="utf-8") == "theirs\n"


def tree_digest(root: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        key = str(path.relative_to(root))
        out[key] = (hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir", st.st_mtime_ns)
    return out


READ_COMMANDS = [
    ["validate"],
    ["list"],
    ["list", "--locality", "贵州", "-f", "csv"],
    ["show", "三定"],
    ["show", "1+X"],
    ["search", "三變"],
    ["related", "chishui-sanding"],
    ["matrix"],
    ["localities"],
    ["themes"],
    ["sources"],
    ["stats"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a) for a in READ_COMMANDS])
def test_reading_commands_never_modify_the_catalogue(mini, args):
    before = tree_digest(mini)
    if args[0] == "validate":
        invoke("validate", str(mini))
    else:
        invoke(*args, "--catalogue", str(mini))
    assert tree_digest(mini) == before
