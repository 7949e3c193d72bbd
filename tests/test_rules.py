"""Each validation rule, on a small catalogue broken in exactly one way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import HERE, invoke, write

from polcat.validate import rule_ids, validate

ENTRY = "mechanisms/alpha/chishui-sanding.yaml"
DRAFT = "mechanisms/alpha/chishui-wubicha-wuchoucha.yaml"


def found(root: Path, **kwargs) -> list[tuple[str, int | None, str]]:
    """(file relative to the catalogue, line, rule) of every problem."""
    result = validate(root, **kwargs)
    return [(os.path.relpath(p.file, root), p.line, p.rule) for p in result.problems]


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_catalogue_is_valid(mini):
    assert found(mini) == []
    result = invoke("validate", str(mini))
    assert result.exit_code == 0
    assert f"✓ the catalogue at {mini} is valid" in result.stdout


def test_schema_wrong_enum_points_at_the_value(mini):
    edit(mini, ENTRY, "kind: numeric-code", "kind: number-code")
    assert found(mini) == [(ENTRY, 8, "schema")]
    result = validate(mini)
    assert "expected one of: numeric-code" in result.problems[0].hint


def test_schema_unknown_field_points_at_the_key_and_suggests(mini):
    edit(mini, ENTRY, "year: 2016", "yaer: 2016")
    result = validate(mini)
    (problem,) = result.problems
    assert (problem.line, problem.column, problem.rule) == (18, 1, "schema")
    assert "unknown field 'yaer'" in problem.message and problem.hint == "did you mean 'year'?"


def test_schema_missing_required_field_in_reviewed_entry(mini):
    edit(mini, ENTRY, "kind: numeric-code\n", "")
    result = validate(mini)
    (problem,) = result.problems
    assert problem.rule == "schema" and "missing required field 'kind'" in problem.message
    assert "status: reviewed" in problem.hint


def test_draft_entries_may_be_incomplete_but_not_malformed(mini):
    # the draft fixture has no summary, level or pinyin and is valid; a wrong type is not
    assert found(mini) == []
    edit(mini, DRAFT, "themes: [evaluation]", "themes: evaluation")
    assert found(mini) == [(DRAFT, 6, "schema")]


def test_schema_number_where_text_belongs_gets_a_quoting_hint(mini):
    edit(mini, DRAFT, "name: {zh: 五必查五抽查}", "name: {zh: 1233}")
    result = validate(mini)
    (problem,) = result.problems
    assert problem.line == 3 and "expected string, found integer" in problem.message
    assert "quotes" in problem.hint


def test_schema_errors_in_registries(mini):
    edit(mini, "localities.yaml", 'level: county\n    adcode: "520381"', 'level: city\n    adcode: "520381"')
    assert found(mini) == [("localities.yaml", 17, "schema")]


def test_id_must_match_file_name(mini):
    edit(mini, DRAFT, "id: chishui-wubicha-wuchoucha", "id: chishui-wubicha")
    problems = found(mini)
    assert (DRAFT, 1, "id-filename") in problems
    # the entry that linked to the old id now dangles
    assert (ENTRY, 29, "relation-target") in problems


def test_duplicate_ids_across_folders(mini):
    text = (mini / DRAFT).read_text(encoding="utf-8")
    write(mini / "mechanisms/other/sub/chishui-wubicha-wuchoucha.yaml", text)
    assert found(mini) == [("mechanisms/other/sub/chishui-wubicha-wuchoucha.yaml", 1, "unique-id")]


def test_unknown_locality_theme_and_source(mini):
    edit(mini, ENTRY, "locality: chishui", "locality: chishiu")
    edit(mini, ENTRY, "themes: [cadre-accountability, evaluation]", "themes: [cadre-accountability, evalution]")
    edit(mini, ENTRY, "  - source: simp\n", "  - source: simple\n")
    result = validate(mini)
    got = {(p.rule, p.line, p.hint) for p in result.problems}
    assert ("locality-ref", 16, "did you mean 'chishui'?") in got
    assert ("theme-ref", 19, "did you mean 'evaluation'?") in got
    assert ("source-ref", 26, "did you mean 'simp'?") in got


def test_dangling_and_self_relations(mini):
    edit(mini, ENTRY, "target: chishui-wubicha-wuchoucha", "target: chishui-wubichaa")
    assert found(mini) == [(ENTRY, 29, "relation-target")]
    edit(mini, ENTRY, "target: chishui-wubichaa", "target: chishui-sanding")
    result = validate(mini)
    assert [p.message for p in result.problems] == ["an entry cannot be related to itself"]


def test_part_of_cycle_through_has_part_and_part_of(mini):
    # sanding has-part wubicha, sanding part-of taijiang, taijiang part-of wubicha: a loop
    edit(mini, ENTRY, "relations:\n", "relations:\n  - {type: part-of, target: taijiang-shihu-yiti}\n")
    edit(
        mini,
        "mechanisms/beta/taijiang-shihu-yiti.yaml",
        "sources:",
        "relations:\n  - {type: part-of, target: chishui-wubicha-wuchoucha}\nsources:",
    )
    result = validate(mini)
    cycles = [p for p in result.problems if p.rule == "part-of-cycle"]
    assert len(cycles) == 1
    assert "chishui-sanding" in cycles[0].message and "taijiang-shihu-yiti" in cycles[0].message


def test_locality_parent_unknown_wrong_level_and_loop(mini):
    edit(mini, "localities.yaml", "parent: zunyi", "parent: zunyl")
    assert found(mini) == [("localities.yaml", 19, "locality-parent")]
    edit(mini, "localities.yaml", "parent: zunyl", "parent: taijiang")
    assert found(mini) == [("localities.yaml", 19, "locality-parent")]
    edit(mini, "localities.yaml", "parent: taijiang", "parent: zunyi")
    edit(mini, "localities.yaml", "parent: guizhou\n  - id: chishui", "parent: chishui\n  - id: chishui")
    rules = {p.rule for p in validate(mini).problems}
    assert rules == {"locality-parent"}


def test_quote_not_in_source(mini):
    edit(mini, ENTRY, "quote: 创新实施干部定责", "quote: 创新推行干部定责")
    result = validate(mini)
    (problem,) = result.problems
    assert (problem.rule, problem.line, problem.column) == ("quote-in-source", 27, 12)
    assert "simp" in problem.message


def test_outcome_quote_is_checked_too(mini):
    edit(mini, ENTRY, "quote: 对11名单位", "quote: 对12名单位")
    assert found(mini) == [(ENTRY, 24, "quote-in-source")]


def test_quotes_ignore_whitespace_and_script(mini):
    # a traditional quote against the simplified source, with a line break inside
    edit(
        mini,
        ENTRY,
        "quote: 创新实施干部定责、组织定位、群众定效的“三定”工作机制",
        "quote: >-\n      創新實施幹部定責、組織定位、\n      群眾定效的“三定”工作機制",
    )
    assert found(mini) == []


def test_quotes_do_not_ignore_punctuation(mini):
    edit(mini, ENTRY, "组织定位、群众定效的“三定”", "组织定位,群众定效的“三定”")
    assert found(mini) == [(ENTRY, 27, "quote-in-source")]


def test_a_quote_that_differs_shows_the_closest_passage_with_the_first_difference_marked(mini):
    edit(mini, ENTRY, "“三定”工作机制\n", '"三定"工作机制\n')
    (problem,) = validate(mini).problems
    assert problem.hint == (
        "closest passage of source simp: …施干部定责、组织定位、群众定效的⟦“⟧三定”工作机制,…; "
        "the quote has '\"' (U+0022 QUOTATION MARK) where the source has '“' (U+201C LEFT DOUBLE QUOTATION MARK)"
    )


def test_a_quote_that_differs_in_a_character_is_placed_from_its_end_when_its_start_differs(mini):
    edit(mini, ENTRY, "quote: 创新实施干部定责", "quote: 创新推行干部定责")
    (problem,) = validate(mini).problems
    assert "赤水市创新实⟦施⟧干部定责" in problem.hint
    assert "the quote has '行' (U+884C) where the source has '施' (U+65BD)" in problem.hint


def test_a_quote_running_past_its_source_and_one_sharing_nothing(mini):
    edit(mini, ENTRY, "quote: 对11名单位“一把手”进行了警示约谈", "quote: 引导本土企业参与脱贫攻坚。此外")
    (problem,) = validate(mini).problems
    assert problem.hint.endswith("where the source ends") and "参与脱贫攻坚。" in problem.hint
    edit(mini, ENTRY, "quote: 引导本土企业参与脱贫攻坚。此外", "quote: ZZZZ")
    (problem,) = validate(mini).problems
    assert problem.hint == "copy the quote character for character from the source text (punctuation included)"


def test_the_quote_hint_is_one_escaped_line_in_every_report(mini):
    edit(mini, ENTRY, "“三定”工作机制\n", '"三定"工作机制\n')
    edit(mini, "sources/simp.txt", "群众定效的", "群众\x1b[2J定效的")
    text = invoke("validate", str(mini)).stdout
    (line,) = [line for line in text.splitlines() if "closest passage" in line]
    assert "⟦\\x1b⟧[2J定效" in line and "\x1b" not in line


def test_quote_divergence_is_found_by_bisection_on_a_long_source():
    from polcat.quotediff import divergence

    text = "甲乙丙丁" * 50_000 + "赤水市创新实施干部定责、组织定位" + "戊己庚辛" * 50_000
    found = divergence("创新实施干部定责,组织定位", text)
    assert found is not None and found.matched == 8
    assert (found.quote_char, found.source_char) == (",", "、")
    assert divergence("赤水", "赤水市") is None  # found: nothing to show


_TEXT = st.text(alphabet='三定五必查，,“”"、。x', max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, quote=_TEXT)
def test_quote_divergence_marks_a_real_difference_of_the_longest_shared_passage(text, quote):
    from polcat.quotediff import MARK_CLOSE, MARK_OPEN, divergence

    found = divergence(quote, text)
    if not quote or quote in text or (quote[0] not in text and quote[-1] not in text):  # nothing to anchor on
        assert found is None
        return
    assert found is not None
    head, tail = quote[: found.matched], quote[len(quote) - found.matched :]
    assert head in text or tail in text  # the passage shown is one the source has
    assert quote[: found.matched + 1] not in text and quote[len(quote) - found.matched - 1 :] not in text
    assert found.quote_char != found.source_char
    assert found.passage.count(MARK_OPEN) == 1 and found.passage.count(MARK_CLOSE) == 1
    marked = found.passage.split(MARK_OPEN)[1].split(MARK_CLOSE)[0]
    assert marked == (found.source_char or "")
    assert found.passage.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").strip("…") in text


@pytest.mark.parametrize(
    "old, new, rule, hint",
    [
        ("locality: chishui", "locality: chishiu", "locality-ref", "did you mean 'chishui'?"),
        ("locality: chishui", "locality: 赤水市", "locality-ref", "did you mean 'chishui'? ('赤水市' is a name"),
        ("evaluation]", "evalution]", "theme-ref", "did you mean 'evaluation'?"),
        ("evaluation]", "考核评价]", "theme-ref", "did you mean 'evaluation'? ('考核评价' is a name"),
        ("  - source: simp\n", "  - source: simple\n", "source-ref", "did you mean 'simp'?"),
        (
            "target: chishui-wubicha-wuchoucha",
            "target: chishui-wubichaa",
            "relation-target",
            "did you mean 'chishui-wubicha-wuchoucha'?",
        ),
        (
            "target: chishui-wubicha-wuchoucha",
            "target: 五必查五抽查",
            "relation-target",
            "did you mean 'chishui-wubicha-wuchoucha'? ('五必查五抽查' is a name",
        ),
    ],
)
def test_every_unknown_reference_suggests_the_id_meant(mini, old, new, rule, hint):
    edit(mini, ENTRY, old, new)
    (problem,) = [p for p in validate(mini).problems if p.rule == rule]
    assert problem.hint is not None and problem.hint.startswith(hint), problem.hint


def test_an_unknown_parent_locality_suggests_the_id_meant(mini):
    edit(mini, "localities.yaml", "parent: zunyi", "parent: 遵义市")
    (problem,) = [p for p in validate(mini).problems if p.rule == "locality-parent"]
    assert problem.hint.startswith("did you mean 'zunyi'?"), problem.hint


def test_source_text_missing(mini):
    (mini / "sources/trad.txt").unlink()
    problems = found(mini)
    assert ("sources/trad.yaml", 1, "source-text") in problems


def test_source_text_outside_the_catalogue(mini, tmp_path):
    write(tmp_path / "elsewhere.txt", "x")
    with open(mini / "sources/trad.yaml", "a", encoding="utf-8") as fh:
        fh.write("text: ../../elsewhere.txt\n")
    assert found(mini) == [("sources/trad.yaml", 6, "source-text")]
    edit(mini, "sources/trad.yaml", "text: ../../elsewhere.txt", f"text: {tmp_path / 'elsewhere.txt'}")
    assert found(mini) == [("sources/trad.yaml", 6, "source-text")]


def test_source_text_symlink_pointing_out(mini, tmp_path):
    outside = write(tmp_path / "outside.txt", (mini / "sources/trad.txt").read_text(encoding="utf-8"))
    (mini / "sources/trad.txt").unlink()
    (mini / "sources/trad.txt").symlink_to(outside)
    assert ("sources/trad.yaml", 1, "source-text") in found(mini)


def test_source_text_in_gbk(mini):
    path = mini / "sources/simp.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = validate(mini)
    problem = next(p for p in result.problems if p.rule == "source-text")
    assert "GB18030/GBK" in problem.message


def test_level_above_locality_is_a_warning(mini):
    edit(mini, ENTRY, "level: county", "level: province")
    result = validate(mini)
    (problem,) = result.problems
    assert problem.rule == "level-locality" and not problem.is_error
    assert result.ok
    assert invoke("validate", str(mini)).exit_code == 0
    assert invoke("validate", str(mini), "--strict").exit_code == 1


def test_loader_errors_do_not_hide_other_files(mini):
    write(mini / "mechanisms/alpha/broken.yaml", "id: broken\nname:\n\tzh: x\n")
    write(mini / "mechanisms/alpha/dup.yaml", "id: dup\nid: dup\n")
    edit(mini, ENTRY, "kind: numeric-code", "kind: number-code")
    problems = found(mini)
    assert ("mechanisms/alpha/broken.yaml", 3, "yaml") in problems
    assert ("mechanisms/alpha/dup.yaml", 2, "duplicate-key") in problems
    assert (ENTRY, 8, "schema") in problems


def test_a_list_where_a_mapping_belongs(mini):
    write(mini / "mechanisms/alpha/list.yaml", "- id: list\n")
    assert found(mini) == [("mechanisms/alpha/list.yaml", 1, "not-mapping")]


def test_missing_registry(mini):
    (mini / "themes.yaml").unlink()
    # the folder is still a catalogue (it has localities.yaml): validate says what is missing
    result = invoke("validate", "--catalogue", str(mini))
    assert result.exit_code == 1 and "themes.yaml" in result.stdout and "missing-file" in result.stdout
    # the library reports the missing registry and every dangling theme
    problems = found(mini)
    assert ("themes.yaml", None, "missing-file") in problems
    assert sum(1 for p in problems if p[2] == "theme-ref") == 7


def _case_breaking(rule: str) -> Path:
    """A bad-input case (tests/bad_inputs) that breaks ``rule``, without file modes (root)."""
    import yaml

    for path in sorted((HERE / "bad_inputs").glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any("mode" in spec for spec in case.get("files", [])):
            continue
        if any(e["rule"] == rule for e in case["expect"]):
            return path
    raise AssertionError(f"no case in tests/bad_inputs breaks rule {rule}: add one")


@pytest.mark.parametrize("rule", sorted(rule_ids()))
def test_every_rule_can_be_switched_off(tmp_path, rule):
    import json

    import yaml
    from test_bad_inputs import build

    case = yaml.safe_load(_case_breaking(rule).read_text(encoding="utf-8"))
    root = build(case, tmp_path, canary=False)
    on = invoke("--no-cache", "validate", str(root), "-f", "json")
    assert rule in {p["rule"] for p in json.loads(on.stdout)}, on.stdout
    off = invoke("--no-cache", "validate", str(root), "-f", "json", "--ignore", rule)
    problems = json.loads(off.stdout)
    assert rule not in {p["rule"] for p in problems}
    assert off.exit_code == (1 if any(p["severity"] == "error" for p in problems) else 0)


def test_ignoring_a_rule_hides_only_that_rule(mini):
    edit(mini, ENTRY, "kind: numeric-code", "kind: number-code")
    edit(mini, ENTRY, "locality: chishui", "locality: chishiu")
    rules = {p.rule for p in validate(mini, ignore=["schema"]).problems}
    assert rules == {"locality-ref"}


def test_unknown_rule_is_a_usage_error(mini):
    result = invoke("validate", str(mini), "--ignore", "no-such-rule")
    assert result.exit_code == 2
    assert "unknown rule id: no-such-rule" in result.stderr


def test_quote_ending_inside_a_phrase_still_matches(mini):
    # OpenCC converts 胡乾元 as a phrase (乾 kept) but a lone 胡乾 to 胡干: folding must be
    # character by character, or a verbatim quote cut inside the phrase would be rejected.
    with open(mini / "sources/trad.txt", "a", encoding="utf-8") as fh:
        fh.write("培育了省優秀共產黨員胡乾元等一大批鄉土人才。\n")
    edit(
        mini,
        "mechanisms/beta/taijiang-shihu-yiti.yaml",
        "quote: 现在有了‘十户一体’抱团发展",
        "quote: 省優秀共產黨員胡乾",
    )
    assert found(mini) == []
