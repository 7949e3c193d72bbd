"""How far two careful curators agree on the names of a report, beside polcat extract.

    python benchmarks/agreement.py [--split dev|heldout] [--second DIR] [--adjudicated [--decisions DIR]]
    python benchmarks/agreement.py --split heldout --write-tasks DIR

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

A third reader settles what the two disagree on (benchmarks/agreement/adjudicated/): for
each report, every name only one curator gave, shown unattributed and in a shuffled order
beside the report's text and the names both gave, is kept or dropped with a reason.
``--adjudicated`` scores both curators and extract against that settled list (the names
both gave, and the disputed names the third reader kept); ``--write-tasks DIR`` writes the
third reader's task files.

For the held-out split only the tables are printed, never a name.

The first pair is the ceiling a tool can be asked to reach against one curator's labels:
a target above what two careful people agree on measures the labels, not the tool.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_quality import CORPUS, REPO, Expected, Report, Score, corpus_reports, score

from polcat.extract import Candidate, extract
from polcat.model import Name

SECOND = REPO / "benchmarks" / "agreement"
ADJUDICATED = SECOND / "adjudicated"


def second_labels(folder: Path) -> dict[str, list[str]]:
    """Each report's names as the second curator wrote them."""
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[str(data["id"])] = [str(e["name"]) for e in data.get("expected") or []]
    return out


def as_reference(report_id: str, names: list[str]) -> list[Expected]:
    return [Expected(f"{report_id}#b{i}", Name(zh=name)) for i, name in enumerate(names)]


@dataclass
class Dispute:
    """What two curators said of one report: the names both gave, and those only one gave."""

    agreed: list[str]  # the first curator's spelling
    only_first: list[str]
    only_second: list[str]

    @property
    def disputed(self) -> list[str]:
        return [*self.only_first, *self.only_second]


def dispute(report: Report, theirs: list[str]) -> Dispute:
    pair = score(None, report.reference, [Candidate(name, 0) for name in theirs], report.id)
    agreed_ids = {i for _, i in pair.found}
    agreed = [str(r.name.zh) for r in report.reference if r.id in agreed_ids]
    return Dispute(agreed, pair.missed, list(dict.fromkeys(pair.wrong)))


def adjudicated_labels(folder: Path) -> dict[str, dict[str, bool]]:
    """Each report's disputed names and whether the third reader kept them."""
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[str(data["id"])] = {str(d["label"]): bool(d["include"]) for d in data.get("decisions") or []}
    return out


def settled(report: Report, found: Dispute, decisions: dict[str, bool]) -> list[Expected]:
    """The names both curators gave and the disputed names the third reader kept."""
    undecided = [label for label in found.disputed if label not in decisions]
    if undecided:
        sys.exit(f"{report.id}: {len(undecided)} disputed names have no decision; write the tasks again")
    kept = [*found.agreed, *(label for label in found.disputed if decisions[label])]
    return as_reference(report.id, kept)


def write_tasks(reports: list[Report], second: dict[str, list[str]], folder: Path) -> None:
    """One task file a report for the third reader: text, the names both gave, and the
    disputed names unattributed in a shuffled order (so the reader cannot tell who gave what)."""
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    (folder / "tasks").mkdir(parents=True, exist_ok=True)
    for report in reports:
        found = dispute(report, second[report.id])
        disputed = found.disputed
        random.Random(report.id).shuffle(disputed)
        (folder / "texts" / f"{report.id}.txt").write_text(report.text, encoding="utf-8")
        task = {"id": report.id, "agreed": found.agreed, "disputed": disputed}
        (folder / "tasks" / f"{report.id}.yaml").write_text(
            yaml.safe_dump(task, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    print(f"{len(reports)} task files in {folder / 'tasks'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", type=Path, default=SECOND, help="the second labelling (default: %(default)s)")
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--adjudicated", action="store_true", help="score against the third reader's settled list")
    parser.add_argument(
        "--decisions", type=Path, default=ADJUDICATED, help="the third reader's decisions (default: %(default)s)"
    )
    parser.add_argument("--write-tasks", type=Path, metavar="DIR", help="write the third reader's task files")
    args = parser.parse_args()
    second = second_labels(args.second)
    reports = [r for r in corpus_reports(args.split, CORPUS) if r.id in second]
    if args.write_tasks:
        write_tasks(reports, second, args.write_tasks)
        return
    if args.adjudicated:
        print_settled(reports, second, adjudicated_labels(args.decisions), args.split)
        return
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
    print_rows("pair", rows)
    if args.split == "heldout":
        return  # (the held-out split's names are never printed)
    print("\n| report | field | first curator | second curator | agreed | only the first | only the second |")
    print("|---|---|---:|---:|---:|---|---|")
    for report_id, field, first, given, pair in per_report:
        print(
            f"| {report_id} | {field} | {first} | {given} | {len(pair.found)} "
            f"| {', '.join(pair.missed) or '-'} | {', '.join(pair.wrong) or '-'} |"
        )


def print_rows(first_column: str, rows: dict[str, Score]) -> None:
    print(f"| {first_column} | reference names | names given | recall | precision |")
    print("|---|---:|---:|---:|---:|")
    for label, row in rows.items():
        print(f"| {label} | {row.reference} | {row.candidates} | {row.recall:.1%} | {row.precision:.1%} |")


def print_settled(
    reports: list[Report], second: dict[str, list[str]], decisions: dict[str, dict[str, bool]], split: str
) -> None:
    reports = [r for r in reports if r.id in decisions]
    if not reports:
        sys.exit("no report of this split has a third reader's decisions")
    rows = {
        "first curator against the settled list": Score(),
        "second curator against the settled list": Score(),
        "extract against the settled list": Score(),
        "extract against the first curator (the corpus's labels)": Score(),
    }
    disputed = kept = 0
    for report in reports:
        theirs = second[report.id]
        found = dispute(report, theirs)
        gold = settled(report, found, decisions[report.id])
        disputed += len(found.disputed)
        kept += sum(decisions[report.id].values())
        candidates = extract(report.text)
        first = [Candidate(str(r.name.zh), 0) for r in report.reference]
        rows["first curator against the settled list"].add(score(None, gold, first, report.id))
        rows["second curator against the settled list"].add(
            score(None, gold, [Candidate(n, 0) for n in theirs], report.id)
        )
        rows["extract against the settled list"].add(score(None, gold, candidates, report.id))
        rows["extract against the first curator (the corpus's labels)"].add(
            score(None, report.reference, candidates, report.id)
        )
    print(f"\n### Against the settled list ({len(reports)} {split} reports; {disputed} disputed names, {kept} kept)\n")
    print_rows("who", rows)


if __name__ == "__main__":
    main()
