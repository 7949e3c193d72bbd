"""`polcat new`: ids and pinyin derived, references and quote checked, atomic, no overwrite."""

from __future__ import annotations

import pytest
import yaml
from support import invoke, run_polcat
from typer.testing import CliRunner

from polcat.cli import app
from polcat.cli import curate as cli_curate
from polcat.scaffold import derive_id


@pytest.mark.parametrize(
    "locality, name, expected",
    [
        ("chishui", "三定", "chishui-sanding"),
        ("jian", "四个一", "jian-sigeyi"),
        ("chishui", "五必查五抽查", "chishui-wubicha-wuchoucha"),
        ("jian", "四联工作法", "jian-silian-gongzuofa"),
        ("national", "两学一做", "national-liangxue-yizuo"),
        ("huangchuan", "1233", "huangchuan-1233"),
        ("fengqing", "4+", "fengqing-4plus"),
        ("fengqing", "1+X", "fengqing-1plusx"),
        ("fengqing", "农村家庭党校+", "fengqing-nongcun-jiating-dangxiao-plus"),
        ("guizhou", "两个80%", "guizhou-liangge-80percent"),
        ("jian", "决战决胜 60 天", "jian-juezhan-juesheng-60tian"),
        ("taijiang", "十戶一體", "taijiang-shihu-yiti"),  # traditional input, same id
        ("chishui", "绿色发展", "chishui-luse-fazhan"),  # ü is written u, as people type it
    ],
)
def test_id_follows_the_curation_rules(locality, name, expected):
    assert derive_id(locality, name) == expected


def test_a_long_name_gives_an_id_within_the_slug_limit():
    ident = derive_id("fengqing", "农村家庭党校+党代表(人大代表、政协委员)工作室" * 2)
    assert len(ident) <= 80 and ident.startswith("fengqing-nongcun") and not ident.endswith("-")


def add_sentence(mini, sentence: str) -> None:
    path = mini / "sources" / "simp.txt"
    path.write_text(path.read_text(encoding="utf-8") + sentence + "\n", encoding="utf-8")


def new(mini, *args: str):
    return invoke("new", "-C", str(mini), *args)


def test_new_writes_a_valid_entry_with_id_pinyin_and_the_sources_sentence(mini):
    add_sentence(mini, "建立了“一核双联”的工作机制,即以乡镇党委为核心。")
    result = new(mini, "--name", "一核双联", "--locality", "赤水", "--source", "simp", "--theme", "evaluation")
    assert result.exit_code == 0, result.stderr
    path = mini / "mechanisms" / "chishui" / "chishui-yihe-shuanglian.yaml"
    assert result.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("id: chishui-yihe-shuanglian\nstatus: draft\nname:\n  zh: 一核双联\n")
    assert "pinyin: yī hé shuāng lián" in text
    assert "locality: chishui\nlevel: county\n" in text
    assert "quote: 建立了“一核双联”的工作机制,即以乡镇党委为核心\n" in text
    assert invoke("validate", str(mini)).exit_code == 0


def test_traditional_name_keeps_the_original_and_simplifies_zh(mini):
    result = new(mini, "-n", "三變", "-l", "貴州", "-s", "trad", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("id: guizhou-sanbian\nstatus: draft\n")
    assert "  zh: 三变\n  original: 三變\n  pinyin: sān biàn\n" in result.stdout
    assert "locality: guizhou\nlevel: province\n" in result.stdout
    assert "quote: 貴州“三變”改革,把村集體土地折價入股\n" in result.stdout
    assert not list((mini / "mechanisms").rglob("guizhou-sanbian.yaml"))  # a dry run writes nothing


def test_new_never_overwrites_without_force(mini):
    add_sentence(mini, "开展“三亮”活动。")
    args = ("-n", "三亮", "-l", "chishui", "-s", "simp")
    assert new(mini, *args).exit_code == 0
    path = mini / "mechanisms" / "chishui" / "chishui-sanliang.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: curator's work\n", encoding="utf-8")
    kept = path.read_text(encoding="utf-8")
    again = run_polcat("new", "-C", str(mini), *args)
    assert again.returncode == 1
    assert "exists" in again.stderr and "--force" in again.stderr and "Traceback" not in again.stderr
    assert path.read_text(encoding="utf-8") == kept
    assert new(mini, *args, "--force").exit_code == 0
    assert "curator's work" not in path.read_text(encoding="utf-8")


def test_a_taken_id_is_refused(mini):
    result = new(mini, "-n", "三定", "-l", "chishui", "-s", "simp")
    assert result.exit_code == 2
    assert "chishui-sanding is taken" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("-l", "赤冰", "-s", "simp"), "did you mean 赤水"),
        (("-l", "chishui", "-s", "simp", "-t", "evaluaton"), "did you mean evaluation"),
        (("-l", "chishui", "-s", "simpl"), "did you mean simp"),
    ],
)
def test_unknown_references_are_usage_errors_with_suggestions(mini, args, message):
    done = run_polcat("new", "-C", str(mini), "-n", "三亮", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not list((mini / "mechanisms").rglob("*sanliang*"))


def test_a_quote_that_is_not_in_the_source_is_refused(mini):
    result = new(mini, "-n", "三定", "-l", "taijiang", "-s", "simp", "-q", "创新实施干部定责,组织定位")
    assert result.exit_code == 2
    assert "does not occur in source simp" in result.stderr


def test_a_name_the_source_does_not_contain_needs_a_quote(mini):
    result = new(mini, "-n", "三亮", "-l", "chishui", "-s", "simp")
    assert result.exit_code == 2
    assert "--quote" in result.stderr


def test_reviewed_status_needs_the_reviewed_fields(mini):
    result = new(mini, "-n", "一把手", "-l", "chishui", "-s", "simp", "--status", "reviewed")
    assert result.exit_code == 2
    assert "would not be valid" in result.stderr and "kind" in result.stderr
    full = new(
        mini,
        "-n",
        "一把手",
        "-l",
        "chishui",
        "-s",
        "simp",
        "--status",
        "reviewed",
        "-k",
        "institution",
        "--en",
        "number one",
        "--summary-zh",
        "单位主要负责人。",
        "--summary-en",
        "The head of a unit.",
        "-t",
        "evaluation",
    )
    assert full.exit_code == 0, full.stderr
    assert invoke("validate", str(mini)).exit_code == 0


def test_missing_flags_without_a_terminal_are_a_usage_error(mini):
    done = run_polcat("new", "-C", str(mini), "--name", "三定", input="")
    assert done.returncode == 2
    assert "missing --locality, --source" in done.stderr and "terminal" in done.stderr


def test_prompts_for_what_is_missing_on_a_terminal(mini, monkeypatch):
    monkeypatch.setattr(cli_curate, "_interactive", lambda: True)
    add_sentence(mini, "开展“三亮”活动。")
    result = CliRunner().invoke(
        app, ["new", "-C", str(mini)], input="三亮\n赤水市\nsimp\nevaluation\n", env={"NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.stderr
    text = (mini / "mechanisms" / "chishui" / "chishui-sanliang.yaml").read_text(encoding="utf-8")
    assert "themes:\n  - evaluation\n" in text and "quote: 开展“三亮”活动" in text


def interview(mini, monkeypatch, answers: list[str], *args: str):
    """`polcat new` on a terminal, answering its prompts in order."""
    monkeypatch.setattr(cli_curate, "_interactive", lambda: True)
    return CliRunner().invoke(
        app, ["new", "-C", str(mini), *args], input="".join(a + "\n" for a in answers), env={"NO_COLOR": "1"}
    )


def test_on_a_terminal_a_wrong_answer_is_asked_again_with_the_reason(mini, monkeypatch):
    add_sentence(mini, "开展“三亮”活动。")
    result = interview(mini, monkeypatch, ["三亮", "赤冰", "赤水市", "simpl", "simp", "evaluaton cadre", "evaluation"])
    assert result.exit_code == 0, result.stderr
    # Each wrong answer is refused as it is given, with why and the nearest right one.
    assert "polcat: no place named '赤冰'" in result.stderr
    assert "did you mean simp" in result.stderr
    assert "did you mean evaluation" in result.stderr
    assert result.stdout.count("Locality:") == 2 and result.stdout.count("Source id:") == 2
    assert result.stdout.count("Themes") == 2
    text = (mini / "mechanisms" / "chishui" / "chishui-sanliang.yaml").read_text(encoding="utf-8")
    assert "locality: chishui\n" in text and "source: simp\n" in text and "themes:\n  - evaluation\n" in text


def test_on_a_terminal_a_quote_is_asked_for_when_the_source_does_not_name_it(mini, monkeypatch):
    answers = ["三亮", "chishui", "simp", "开展三亮活动", "采取贫困结对“1+X”模式", ""]
    result = interview(mini, monkeypatch, answers)
    assert result.exit_code == 0, result.stderr
    assert "source simp does not contain '三亮'" in result.stdout
    assert "the quote does not occur in source simp" in result.stderr
    text = (mini / "mechanisms" / "chishui" / "chishui-sanliang.yaml").read_text(encoding="utf-8")
    assert "quote: 采取贫困结对“1+X”模式\n" in text


def test_on_a_terminal_a_taken_id_asks_for_another(mini, monkeypatch):
    taken = (mini / "mechanisms" / "alpha" / "chishui-sanding.yaml").read_text(encoding="utf-8")
    answers = ["三定", "chishui", "simp", "", "chishui-sanding", "Not An Id", "chishui-sanding-ganbu"]
    result = interview(mini, monkeypatch, answers)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("the id chishui-sanding is taken by") == 2
    assert "'Not An Id' is not an id" in result.stderr
    assert (mini / "mechanisms" / "chishui" / "chishui-sanding-ganbu.yaml").is_file()
    assert (mini / "mechanisms" / "alpha" / "chishui-sanding.yaml").read_text(encoding="utf-8") == taken


def test_on_a_terminal_a_gazetteer_place_is_accepted_and_flags_are_not_asked_again(mini, monkeypatch):
    add_sentence(mini, "开展“三亮”活动。")
    result = interview(mini, monkeypatch, ["广平县", ""], "--name", "三亮", "--source", "simp", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Name" not in result.stdout and "Source id" not in result.stdout
    assert "would add to localities.yaml from the GB/T 2260 gazetteer: 河北省" in result.stderr
    assert "id: guangping-sanliang\n" in result.stdout


def test_without_a_terminal_a_wrong_flag_still_fails_at_once(mini):
    done = run_polcat("new", "-C", str(mini), "-n", "三亮", "-l", "赤冰", "-s", "simp", input="chishui\n")
    assert done.returncode == 2
    assert "no place named '赤冰'" in done.stderr and "Locality" not in done.stdout


def test_themes_given_by_name_are_written_as_ids(mini):
    result = new(mini, "-n", "三定", "-l", "taijiang", "-s", "simp", "-t", "考核评价", "-t", "Evaluation", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout)["themes"] == ["evaluation"]  # one theme, named twice
