"""Write a synthetic but realistic catalogue of N entries, for benchmarks.

    python benchmarks/generate.py OUT_DIR --entries 10000 [--seed 1]

Entries are copies of the shipped ones (so they have the real size and shape) given new
ids, localities, themes, relations and quotes. Sources are generated texts made of
sentences from the shipped source texts; every quote is cut from its source, so the
generated catalogue validates. Localities form a province > prefecture > county tree
with made-up names and codes.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

from polcat import locate
from polcat.catalogue import load_catalogue

SENTENCES_PER_SOURCE = 120
ENTRIES_PER_SOURCE = 25
ENTRIES_PER_COUNTY = 12


def dump(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def sentences_of(cat) -> list[str]:
    out = []
    for source in cat.sources.values():
        text = cat.read_source_text(source)
        out += [s.strip() + "。" for s in text.replace("\n", "").split("。") if 12 <= len(s.strip()) <= 160]
    return out


def localities(n_counties: int) -> list[dict]:
    registry = [{"id": "national", "name": {"zh": "全国", "en": "Nationwide"}, "level": "national"}]
    counties = []
    provinces = max(1, min(31, n_counties // 40))
    for p in range(provinces):
        pid = f"prov{p:02d}"
        registry.append(
            {
                "id": pid,
                "name": {"zh": f"第{p}省", "en": f"Province {p}"},
                "level": "province",
                "adcode": f"{11 + p:02d}0000",
                "parent": "national",
            }
        )
        prefectures = max(1, n_counties // provinces // 8)
        for f in range(prefectures):
            fid = f"{pid}-pref{f:02d}"
            registry.append(
                {
                    "id": fid,
                    "name": {"zh": f"第{p}省{f}市", "en": f"Prefecture {p}-{f}"},
                    "level": "prefecture",
                    "adcode": f"{11 + p:02d}{1 + f % 99:02d}00",
                    "parent": pid,
                }
            )
            for c in range(8):
                cid = f"{fid}-cty{c}"
                registry.append(
                    {
                        "id": cid,
                        "name": {"zh": f"第{p}省{f}市{c}县", "en": f"County {p}-{f}-{c}"},
                        "level": "county",
                        "adcode": f"{11 + p:02d}{1 + f % 99:02d}{21 + c:02d}",
                        "parent": fid,
                    }
                )
                counties.append(cid)
    return registry, counties


def generate(out: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    shipped = load_catalogue(locate.shipped_catalogue())
    templates = [r.data for r in shipped.mechanisms.values()]
    pool = sentences_of(shipped)
    if out.exists():
        shutil.rmtree(out)
    (out / "sources").mkdir(parents=True)
    shutil.copy(locate.shipped_catalogue() / "themes.yaml", out / "themes.yaml")
    theme_ids = list(shipped.themes)

    registry, counties = localities(max(8, n // ENTRIES_PER_COUNTY))
    dump({"localities": registry}, out / "localities.yaml")

    sources = []
    for s in range(max(1, n // ENTRIES_PER_SOURCE)):
        sid = f"src-{s:05d}"
        sentences = rng.sample(pool, min(SENTENCES_PER_SOURCE, len(pool)))
        (out / "sources" / f"{sid}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        dump(
            {
                "id": sid,
                "title": f"合成报告 {s}",
                "date": f"{2015 + s % 7}-0{1 + s % 9}-1{s % 10}",
                "script": "Hans",
                "sha256": f"{rng.getrandbits(256):064x}",
            },
            out / "sources" / f"{sid}.yaml",
        )
        sources.append((sid, sentences))

    ids: list[str] = []
    for i in range(n):
        entry = dict(rng.choice(templates))
        entry_id = f"gen-{i:06d}"
        locality = rng.choice(counties)
        sid, sentences = rng.choice(sources)
        entry.update(
            id=entry_id,
            locality=locality,
            level="county",
            themes=rng.sample(theme_ids, rng.randint(1, 3)),
            sources=[{"source": sid, "quote": _cut(rng, rng.choice(sentences))}],
        )
        if isinstance(entry.get("origin"), dict) and "locality" in entry["origin"]:
            entry["origin"] = {**entry["origin"], "locality": locality}  # the shipped place is not in this catalogue
        entry.pop("former_ids", None)  # copies would claim the same former ids
        if entry.get("outcomes"):
            entry["outcomes"] = [
                {**o, "source": sid, "quote": _cut(rng, rng.choice(sentences))} for o in entry["outcomes"]
            ]
        relations = []
        if ids and rng.random() < 0.3:  # part-of an earlier entry: a forest, never a cycle
            relations.append({"type": "part-of", "target": rng.choice(ids[-200:])})
        if ids and rng.random() < 0.1:
            relations.append({"type": "similar-to", "target": rng.choice(ids)})
        if relations:
            entry["relations"] = relations
        else:
            entry.pop("relations", None)
        dump(entry, out / "mechanisms" / locality / f"{entry_id}.yaml")
        ids.append(entry_id)


def _cut(rng: random.Random, sentence: str) -> str:
    start = rng.randint(0, max(0, len(sentence) - 12))
    return sentence[start : start + rng.randint(10, 40)].strip() or sentence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.entries, args.seed)
    print(f"wrote {args.entries} entries to {args.out}")


if __name__ == "__main__":
    main()
