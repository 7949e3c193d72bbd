"""How far two careful curators agree on the names of a report, beside polcat extract.

    python benchmarks/agreement.py [--split dev|heldout] [--second DIR]

benchmarks/agreement/ holds a second, independent labelling of reports of the corpus
(14 dev reports, two per field, and every held-out report): each ``<id>.yaml`` has an
``expected`` list written by a second curator who saw only the report's text and
docs/curation.md (not the corpus's labels, the catalogue or extract's code). Scored with
the corpus's own rule (benchmarks/extract_quality.py: same name in either script, noise
ignored, give or take a type noun):

- the second curator against the first (the corpus's labels): recall = the first's names
  the second also named, precision = the second's names the first also named;
- extract against each curator, against either (a name either curator gave; a candidate
  is right when either gave it) and against both (the names they agree on).

For the held-out split only the tables are printed, never a name.

The first pair is the ceiling a tool can be asked to reach against one curator's labels:
a target above what two careful people agree on measures the labels, not the tool.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_quality import CORPUS, REPO, Expected, Score, corpus_reports, score

from polcat.extract import Candidate, extract
from polcat.model import Name

SECOND = REPO / "benchmarks" / "agreement"


def second_labels(folder: Path) -> dict[str, list[str]]:
    """Each report's names as the second curator wrote them."""
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[str(data["id"])] = [str(e["name"]) for e in data.get("expected") or []]
    return out


def as_reference(report_id: str, names: list[str]) -> list[Expected]:
    return [Expected(f"{report_id}#b{i}", Name(zh=name)) for i, name in enumerate(names)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", type=Path, default=SECOND, help="the second labelling (default: %(default)s)")
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args()
    second = second_labels(args.second)
    reports = [r for r in corpus_reports(args.split, CORPUS) if r.id in second]
    rows = {
        "second curator against the first": Score(),
        "extract against the first curator": Score(),
        "extract against the second curator": Score(),
        "extract against either curator": Score(),
        "extract against both curators": Score(),
    }
    per_report = []
    for report in reports:
        theirs = second[report.id]
        candidates = extract(report.text)
        pair = score(None, report.reference, [Candidate(name, 0) for name in theirs], report.id)
        rows["second curator against the first"].add(pair)
        rows["extract against the first curator"].add(score(None, report.reference, candidates, report.id))
        rows["extract against the second curator"].add(
            score(None, as_reference(report.id, theirs), candidates, report.id)
        )
        # either: the first's names and the second's the first lacks; both: the first's
        # names the second also gave
        agreed = {i for _, i in pair.found}
        only_second = [c.label for c in [Candidate(n, 0) for n in theirs] if c.label in pair.wrong]
        either = [*report.reference, *as_reference(report.id, only_second)]
        both = [r for r in report.reference if r.id in agreed]
        rows["extract against either curator"].add(score(None, either, candidates, report.id))
        rows["extract against both curators"].add(score(None, both, candidates, report.id))
        per_report.append((report.id, report.field, len(report.reference), len(theirs), pair))
    print(f"\n### Two curators and extract ({len(reports)} {args.split} reports)\n")
    print("| pair | reference names | names given | recall | precision |")
    print("|---|---:|---:|---:|---:|")
    for label, row in rows.items():
        print(f"| {label} | {row.reference} | {row.candidates} | {row.recall:.1%} | {row.precision:.1%} |")
    if args.split == "heldout":
        return  # (the held-out split's names are never printed)
    print("\n| report | field | first curator | second curator | agreed | only the first | only the second |")
    print("|---|---|---:|---:|---:|---|---|")
    for report_id, field, first, given, pair in per_report:
        print(
            f"| {report_id} | {field} | {first} | {given} | {len(pair.found)} "
            f"| {', '.join(pair.missed) or '-'} | {', '.join(pair.wrong) or '-'} |"
        )


if __name__ == "__main__":
    main()
