"""How well `polcat extract` finds names and places, beside a bare regex.

    python benchmarks/extract_quality.py [--split dev|heldout|all] [--seeds DIR] [--catalogue DIR] [--show]
                                         [--judgement rules|learned|both]

Three test sets, reported separately:

- the development corpus's ``dev`` split (benchmarks/corpus/*.yaml with ``split: dev``);
- its ``heldout`` split (never used while writing the rules; run it rarely);
- the seed reports (../shared/seeds next to the repository, each the ``original_file``
  of a catalogue source; skipped with a message when the folder is absent).

Scoring. On the corpus, the reference is the report's ``expected`` list; on the seeds,
the entries citing the report's source (name.zh, name.original, aliases). A candidate
is right when it names a reference item: same name in either script (noise such as
pinyin annotations ignored), or the same name give or take a type noun such as 机制 or
模式 (the rule ``known`` uses). recall = reference items named / reference items;
precision = right candidates / candidates. The tables give both per policy field (the
corpus's ``field``; for the seeds, the field most of the report's entries have through
their themes), per script (Hans, Hant, annotated = with pinyin in brackets) and per form:
``quoted`` names stand in quotation marks somewhere in the report, ``unquoted`` ones
never do (recall over the names of that form, precision over the candidates of that form).

The baseline is a bare regular expression over quotation marks (everything between “”,
"", 「」, ‘’ or 『』 of at most 40 characters on one line), scored the same way.

Place: the share of reports whose place :func:`polcat.extract.report_place` gives at
the report's own level (the corpus's ``adcode``; for the seeds, the locality of the
source's entries at the lowest level most of them share). A corpus report marked
``place_stated: false`` never names its place (only a subdistrict or a community): it is
right when extract names no place, since any place would be a guess.

Below each table, two ceilings: the names within reach (named by some label extract
weighs, whatever its judgement makes of it: no judgement of those labels finds more),
and recall when the names a curator's note calls borderline are optional.

Judgement: extract's default, or ``--judgement rules`` (the hand rules), ``learned`` (the
model of benchmarks/train_judge.py), ``both`` (a table for each, from one run).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from polcat import locate
from polcat.catalogue import load_catalogue
from polcat.extract import (
    Candidate,
    clean,
    extract,
    extract_with_set_aside,
    match_known,
    name_index,
    report_place,
)
from polcat.extract.judge import collect_uses
from polcat.model import Name
from polcat.textio import MAX_TEXT_BYTES, decode_any, read_bytes

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "benchmarks" / "corpus"


@dataclass
class Score:
    reference: int = 0
    found: set[Any] = field(default_factory=set)  # reference items named
    candidates: int = 0
    right: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / self.reference if self.reference else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.candidates if self.candidates else 0.0

    def add(self, other: Score) -> None:
        self.reference += other.reference
        self.found |= other.found
        self.candidates += other.candidates
        self.right += other.right


def baseline_labels(text: str) -> list[str]:
    """The bare-regex baseline: whatever stands between quotation marks."""
    pattern = re.compile(r"[“\"「‘『]([^“”\"「」‘’『』\n]{1,40})[”\"」’』]")
    return list(dict.fromkeys(m.group(1).strip() for m in pattern.finditer(text) if m.group(1).strip()))


@dataclass
class Report:
    """One test report: its text, reference names and labels."""

    id: str
    text: str
    reference: list[Any]  # entries, or Expected stand-ins: .id, .name, .aliases, .locality
    field: str
    script: str
    adcode: str | None
    place_stated: bool = True  # False: the text never names its place; the right answer is none


@dataclass(frozen=True)
class Expected:
    """An expected name of the corpus, shaped like an entry for the name index."""

    id: str
    name: Name
    aliases: tuple[str, ...] = ()
    locality: str | None = None
    borderline: bool = False  # the curator's note calls it borderline


def score(cat: Any, reference: list[Any], candidates: list[Candidate], tag: str) -> Score:
    index = name_index(reference)
    result = Score(reference=len(reference), candidates=len(candidates))
    for candidate in candidates:
        known = match_known(None, candidate, index)
        if known:
            result.right += 1
            result.found.add((tag, known))
        else:
            result.wrong.append(candidate.label)
    named = {i for _, i in result.found}
    result.missed = sorted(str(r.name.zh) for r in reference if r.id not in named)
    return result


def corpus_reports(split: str, corpus: Path = CORPUS) -> list[Report]:
    out = []
    for path in sorted(corpus.glob("*.yaml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        if split != "all" and meta.get("split") != split:
            continue
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        reference = [
            Expected(f"{meta['id']}#{i}", Name(zh=e["name"]), borderline="borderline" in str(e.get("note", "")).lower())
            for i, e in enumerate(meta.get("expected") or [])
        ]
        out.append(
            Report(
                meta["id"],
                text,
                reference,
                meta["field"],
                meta["script"],
                str(meta.get("adcode") or "") or None,
                meta.get("place_stated", True),
            )
        )
    return out


def seed_reports(cat: Any, seeds: Path) -> list[Report]:
    """(raw report, catalogue source) pairs, by the sources' original_file."""
    from polcat.extract.annotate import registry_code

    fields = {t.id: t.field for t in cat.all_themes()}
    out = []
    for source in sorted(cat.all_sources(), key=lambda s: s.id):
        original = source.data.get("original_file")
        if not (isinstance(original, str) and (seeds / original).is_file()):
            continue
        text, _ = decode_any(read_bytes(seeds / original, MAX_TEXT_BYTES))
        reference = [e for e in cat.entries() if source.id in e.cited_sources()]
        field_count = Counter(fields.get(t) for e in reference for t in e.themes if fields.get(t))
        codes = Counter(registry_code(cat, e.locality) for e in reference)
        codes.pop("national", None)
        codes.pop(None, None)
        adcode = _lowest_shared(codes)
        out.append(
            Report(
                source.id,
                text,
                reference,
                field_count.most_common(1)[0][0] if field_count else "?",
                source.script,
                adcode,
            )
        )
    return out


_OPENING_MARKS = '“"「‘『'


def _quoted_at(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in _OPENING_MARKS


def by_form(report: Report, found: list[Candidate], whole: Score, all_quoted: bool = False) -> dict[str, Score]:
    """``whole`` split by form: names (and candidates) quoted somewhere in the report, or
    never. ``all_quoted``: the candidates are quotations' contents (the baseline's)."""
    forms = {"quoted": Score(), "unquoted": Score()}
    for item in report.reference:
        name = str(item.name.zh)
        quoted = any(_quoted_at(report.text, m.start()) for m in re.finditer(re.escape(name), report.text))
        row = forms["quoted" if quoted else "unquoted"]
        row.reference += 1
        row.found |= {hit for hit in whole.found if hit[1] == item.id}
    wrong = Counter(whole.wrong)
    for candidate in found:
        quoted = all_quoted or any(_quoted_at(report.text, start) for start, _ in candidate.spans)
        row = forms["quoted" if quoted else "unquoted"]
        row.candidates += 1
        if wrong[candidate.label]:
            wrong[candidate.label] -= 1
        else:
            row.right += 1
    return forms


def _lowest_shared(codes: Counter) -> str | None:
    """The place most entries of a report are filed at (the report's own level)."""
    return codes.most_common(1)[0][0] if codes else None


def run(
    reports: list[Report], cat: Any, judgement: str | None = None, set_aside: bool = False
) -> tuple[dict[str, dict[str, Score]], dict[str, Score], list[tuple[str, str | None, str | None]], float]:
    """Scores per field and per script for polcat and the baseline, per-report scores, places.
    With ``set_aside``, polcat's row scores the candidates together with the quoted labels
    extract set aside (what a curator reviews with ``polcat extract --set-aside``)."""
    groups: dict[str, dict[str, Score]] = {}
    per_report: dict[str, Score] = {}
    placed = []
    elapsed = 0.0
    for report in reports:
        began = time.perf_counter()
        if set_aside:
            kept, aside = extract_with_set_aside(report.text, judgement=judgement)
            found = kept + aside
        else:
            found = extract(report.text, judgement=judgement)
        ours = score(cat, report.reference, found, report.id)
        elapsed += time.perf_counter() - began
        baseline = [Candidate(label, 0) for label in baseline_labels(report.text)]
        base = score(cat, report.reference, baseline, report.id)
        per_report[report.id] = ours
        for group in (f"field: {report.field}", f"script: {report.script}", "all"):
            row = groups.setdefault(group, {"polcat": Score(), "baseline": Score()})
            row["polcat"].add(ours)
            row["baseline"].add(base)
        base_forms = by_form(report, baseline, base, all_quoted=True)
        for form, ours_part in by_form(report, found, ours).items():
            row = groups.setdefault(f"form: {form}", {"polcat": Score(), "baseline": Score()})
            row["polcat"].add(ours_part)
            row["baseline"].add(base_forms[form])
        placed.append((report.id, report.adcode if report.place_stated else None, report_place(report.text)))
    return groups, per_report, placed, elapsed


def print_table(
    title: str, groups: dict[str, dict[str, Score]], placed: list[tuple[str, str | None, str | None]]
) -> None:
    print(f"\n### {title}\n")
    print("| group | names | polcat: candidates | recall | precision | regex: candidates | recall | precision |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for group in sorted(groups, key=lambda g: (g == "all", g)):
        ours, base = groups[group]["polcat"], groups[group]["baseline"]
        name = f"**{group}**" if group == "all" else group
        print(
            f"| {name} | {ours.reference} | {ours.candidates} | {ours.recall:.1%} | {ours.precision:.1%} "
            f"| {base.candidates} | {base.recall:.1%} | {base.precision:.1%} |"
        )
    right = sum(1 for _, want, got in placed if got == want)
    unstated = sum(1 for _, want, _ in placed if want is None)
    note = f"; {unstated} name no place, right when extract names none" if unstated else ""
    print(
        f"\nPlace right at the report's own level: {right}/{len(placed)} reports "
        f"({right / len(placed) if placed else 0:.0%}{note})."
    )


def weighed_labels(text: str) -> list[Candidate]:
    """Every label extract weighs in a text (each quotation and title, also those its form
    rules out, every quoted-list item, every unquoted label its rules find), whatever the
    judgement then makes of it."""
    uses, unjudged = collect_uses(clean(text))
    return [
        Candidate(key, 0, aliases=label_aliases(key, uses, unjudged), key=key) for key in sorted({*uses, *unjudged})
    ]


def label_aliases(key: str, *uses: dict[str, list[Any]]) -> list[str]:
    """The other forms of a label its uses carry (the label with the type noun after it)."""
    return sorted({a for table in uses for *_, ev in table.get(key, []) for a in ev.aliases if a != key})


def print_reach(reports: list[Report], per_report: dict[str, Score], cat: Any) -> None:
    """Two ceilings beside the table: the names some label extract weighs could name (no
    judgement of those labels finds more), and recall when the names the curators call
    borderline are optional (found, they count as right; missed, as nothing)."""
    names = sum(len(r.reference) for r in reports)
    within = sum(len(score(cat, r.reference, weighed_labels(r.text), r.id).found) for r in reports)
    print(
        f"Within reach: {within} of {names} names ({within / names if names else 0:.1%}) are named by a label extract weighs."
    )
    # A seed's reference items are catalogue entries: no curator's note, none borderline.
    required = [(r.id, item.id) for r in reports for item in r.reference if not getattr(item, "borderline", False)]
    if len(required) < names:
        found = {hit for r in reports for hit in per_report[r.id].found}
        hits = sum(1 for hit in required if hit in found)
        print(
            f"Borderline names optional: recall {hits / len(required):.1%} "
            f"({hits} of the {len(required)} names no curator's note calls borderline)."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="a folder of labelled reports (default: benchmarks/corpus)"
    )
    parser.add_argument("--show", action="store_true", help="list misses, wrong candidates and wrong places")
    parser.add_argument(
        "--judgement", choices=("rules", "learned", "both"), default=None, help="how candidates are judged"
    )
    parser.add_argument(
        "--set-aside",
        action="store_true",
        help="score the candidates with the quoted labels extract set aside (what a curator reviews)",
    )
    args = parser.parse_args()
    cat = load_catalogue(args.catalogue or locate.shipped_catalogue())
    sets = [(f"corpus, {args.split} split", corpus_reports(args.split, args.corpus))]
    if args.seeds.is_dir():
        seeds = seed_reports(cat, args.seeds)
        if seeds:
            sets.append(("seed reports", seeds))
        else:
            print(
                f"(no report in {args.seeds} is the original_file of a catalogue source: seeds skipped)",
                file=sys.stderr,
            )
    else:
        print(f"(no seeds folder at {args.seeds}: seeds skipped; give --seeds DIR)", file=sys.stderr)
    judgements = ["rules", "learned"] if args.judgement == "both" else [args.judgement]
    for title, reports in sets:
        for judgement in judgements:
            groups, per_report, placed, elapsed = run(reports, cat, judgement, args.set_aside)
            named = f"{title}, {judgement or 'default'} judgement" + (
                ", candidates and set aside" if args.set_aside else ""
            )
            print_table(
                f"{named} ({len(reports)} reports, extract {elapsed * 1000 / max(1, len(reports)):.0f} ms a report)",
                groups,
                placed,
            )
            print_reach(reports, per_report, cat)
            if args.show:
                for report_id, want, got in placed:
                    result = per_report[report_id]
                    print(f"\n{report_id}: place {got} (expected {want}){'' if got == want else '  <-- wrong'}")
                    print(f"    missed: {', '.join(result.missed) or '-'}")
                    print(f"    wrong:  {', '.join(result.wrong) or '-'}")


if __name__ == "__main__":
    main()
