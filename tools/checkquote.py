"""Curator's quick check before `polcat validate` exists: every quote of the given
entries occurs in its source text (whitespace and script differences ignored)."""
import re
import sys
from pathlib import Path

import opencc
import yaml

conv = opencc.OpenCC("t2s")
root = Path(__file__).resolve().parents[1] / "catalogue"


def norm(s):
    return conv.convert(re.sub(r"\s+", "", s))


bad = 0
for f in sys.argv[1:]:
    d = yaml.load(open(f, encoding="utf-8"), Loader=yaml.CSafeLoader)
    srcs = {s["source"] for s in d.get("sources", [])}
    quotes = [(s["source"], s["quote"]) for s in d.get("sources", [])]
    quotes += [(o.get("source") or next(iter(srcs)), o["quote"]) for o in d.get("outcomes", [])]
    for sid, q in quotes:
        text = norm((root / "sources" / f"{sid}.txt").read_text(encoding="utf-8"))
        if norm(q) not in text:
            bad += 1
            print(f"{f}: quote not in {sid}: {q}")
print("bad quotes:", bad)
