"""How well `polcat extract` finds the names the catalogue holds, beside a bare regex.

    python benchmarks/extract_quality.py [--seeds DIR] [--catalogue DIR] [--show]

For every raw report in the seeds folder (default: ../shared/seeds next to the
repository) whose file name a catalogue source gives as its ``original_file``, the
reference is the set of entries citing that source, each known by its name.zh,
name.original and aliases. A candidate is right when it names one of them (same name in
either script, or the same name give or take a type noun such as 机制 or 模式; the rule
`known` uses). Then

- recall = reference entries named by at least one candidate / reference entries;
- precision = candidates naming a reference entry / candidates.

The baseline is a bare regular expression over quotation marks (everything between “”,
"", 「」, ‘’ or 『』 of at most 40 characters on one line), scored the same way.
``--show`` lists what each method missed and what it took wrongly.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from polcat import locate
from polcat.catalogue import load_catalogue
from polcat.extract import Candidate, baseline_labels, find_candidates, match_known, name_index

from polcat.textio import MAX_TEXT_BYTES, decode_any, read_bytes

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Score:
    reference: int = 0
    found: set = field(default_factory=set)  # reference ids named
    candidates: int = 0
    right: int = 0
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / self.reference if self.reference else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.candidates if self.candidates else 0.0

    def add(self, other: "Score") -> None:
        self.reference += other.reference
        self.found |= other.found
        self.candidates += other.candidates
        self.right += other.right


def score(cat, reference: list, candidates: list[Candidate]) -> Score:
    index = name_index(reference)
    result = Score(reference=len(reference), candidates=len(candidates))
    for candidate in candidates:
        known = match_known(cat, candidate, index)
        if known:
            result.right += 1
            result.found.add(known)
        else:
            result.wrong.append(candidate.label)
    result.missed = sorted(r.get("name", {}).get("zh") for r in reference if r.id not in result.found)
    return result


def reports(cat, seeds: Path) -> list[tuple[Path, object]]:
    """(raw report, catalogue source) pairs, by the sources' original_file."""
    pairs = []
    for source in sorted(cat.sources.values(), key=lambda s: s.id):
        original = source.get("original_file")
        if isinstance(original, str) and (seeds / original).is_file():
            pairs.append((seeds / original, source))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument("--show", action="store_true", help="list misses and wrong candidates")
    args = parser.parse_args()
    if not args.seeds.is_dir():
        sys.exit(f"no seeds folder at {args.seeds} (give --seeds DIR)")
    cat = load_catalogue(args.catalogue or locate.shipped_catalogue())
    pairs = reports(cat, args.seeds)
    if not pairs:
        sys.exit(f"no report in {args.seeds} is the original_file of a catalogue source")
    totals = {"polcat": Score(), "baseline": Score()}
    header = f"{'report':<24} {'source':<14} {'names':>5}  {'polcat: cand':>12} {'recall':>7} {'prec.':>7}  {'regex: cand':>11} {'recall':>7} {'prec.':>7}"
    print(header)
    print("-" * len(header))
    for path, source in pairs:
        text, _ = decode_any(read_bytes(path, MAX_TEXT_BYTES))
        reference = [e.record for e in cat.entries() if source.id in e.cited_sources()]
        ours = score(cat, reference, find_candidates(text))
        base = score(cat, reference, [Candidate(label, 0) for label in baseline_labels(text)])
        for name, result in (("polcat", ours), ("baseline", base)):
            # Entries citing several reports count once per report, as they are found per report.
            result.found = {(source.id, i) for i in result.found}
            totals[name].add(result)
        print(
            f"{path.name:<24} {source.id:<14} {len(reference):>5}  {ours.candidates:>12} {ours.recall:>7.1%} {ours.precision:>7.1%}"
            f"  {base.candidates:>11} {base.recall:>7.1%} {base.precision:>7.1%}"
        )
        if args.show:
            print(f"    polcat missed: {', '.join(ours.missed) or '-'}")
            print(f"    polcat wrong:  {', '.join(ours.wrong) or '-'}")
            print(f"    regex missed:  {', '.join(base.missed) or '-'}")
            print(f"    regex wrong:   {', '.join(base.wrong) or '-'}")
    ours, base = totals["polcat"], totals["baseline"]
    print("-" * len(header))
    print(
        f"{'all reports':<24} {'':<14} {ours.reference:>5}  {ours.candidates:>12} {ours.recall:>7.1%} {ours.precision:>7.1%}"
        f"  {base.candidates:>11} {base.recall:>7.1%} {base.precision:>7.1%}"
    )


if __name__ == "__main__":
    main()
