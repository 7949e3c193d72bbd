"""The development corpus (benchmarks/corpus) is data reviewed like code: every report is
complete, unique and faithful to its text, and the corpus keeps the shape issue 17 asks
of it (fields, provinces, scripts, quotation styles, a held-out third).

Failures name a held-out report's expected name by its position only, so that a test
run never shows what the held-out split contains."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from support import REPO

CORPUS = REPO / "benchmarks" / "corpus"
# A report's field is one of the policy fields of the shipped theme registry.
FIELDS = {
    item["id"] for item in yaml.safe_load((REPO / "catalogue" / "themes.yaml").read_text(encoding="utf-8"))["fields"]
}
REQUIRED = ("id", "url", "place", "adcode", "province", "field", "script", "quotes", "split", "expected")


def load() -> list[tuple[dict, str]]:
    out = []
    for path in sorted(CORPUS.glob("*.yaml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta["_stem"] = path.stem
        text_path = path.with_suffix(".txt")
        out.append((meta, text_path.read_text(encoding="utf-8") if text_path.is_file() else ""))
    return out


REPORTS = load()


def test_every_report_is_complete():
    for meta, text in REPORTS:
        assert meta["_stem"] == meta.get("id"), f"{meta['_stem']}.yaml: id {meta.get('id')!r}"
        missing = [key for key in REQUIRED if not meta.get(key)]
        assert not missing, f"{meta['id']}: no {', '.join(missing)}"
        assert text.strip(), f"{meta['id']}: no text beside it"
        assert meta["field"] in FIELDS, f"{meta['id']}: field {meta['field']!r}"
        assert meta["script"] in {"Hans", "Hant", "annotated"}, f"{meta['id']}: script {meta['script']!r}"
        assert meta["split"] in {"dev", "heldout"}, f"{meta['id']}: split {meta['split']!r}"
        assert isinstance(meta["adcode"], str) and len(meta["adcode"]) == 6, f"{meta['id']}: adcode"


def test_every_text_has_its_report():
    stems = {meta["_stem"] for meta, _ in REPORTS}
    orphans = sorted(p.name for p in CORPUS.glob("*.txt") if p.stem not in stems)
    assert not orphans


def test_ids_and_addresses_are_used_once():
    for key in ("id", "url"):
        counts = Counter(meta[key] for meta, _ in REPORTS)
        assert not [value for value, n in counts.items() if n > 1], key


def test_every_expected_name_stands_in_its_text_as_written():
    # The failures are gathered as messages: an assertion on `name in text` would print
    # the held-out text.
    absent = [
        f"{meta['id']}: {item['name'] if meta['split'] == 'dev' else f'expected name {at + 1}'}"
        for meta, text in REPORTS
        for at, item in enumerate(meta["expected"])
        if item["name"] not in text
    ]
    assert not absent


def test_the_corpus_has_the_shape_the_issue_asks_for():
    """At least 30 reports from 10 provinces in 6 fields, 3 per field; every script and
    quotation style; a third held out."""
    provinces = len({meta["province"] for meta, _ in REPORTS})
    assert provinces >= 10
    per_field = Counter(meta["field"] for meta, _ in REPORTS)
    assert set(per_field) == FIELDS and min(per_field.values()) >= 3
    assert {meta["script"] for meta, _ in REPORTS} == {"Hans", "Hant", "annotated"}
    styles = {style for meta, _ in REPORTS for style in meta["quotes"]}
    assert {"“”", "「」", '""', "none"} <= styles
    # Plain counts: an assertion over the reports themselves would print held-out text.
    total, held_out = len(REPORTS), sum(meta["split"] == "heldout" for meta, _ in REPORTS)
    assert total >= 30
    assert 3 * held_out >= total, f"{held_out} of {total} held out"


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_each_split_has_reports_in_every_field(split):
    per_field = Counter(meta["field"] for meta, _ in REPORTS if meta["split"] == split)
    assert set(per_field) == FIELDS and min(per_field.values()) >= 3, per_field
