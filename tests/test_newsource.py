"""`polcat new-source`: a report becomes a source that entries can quote, in any encoding,
with its place from its own text, checked before writing and never written over."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import invoke, run_polcat

REPORT = "吴堡县深化政务服务改革\n吴堡县创新推行“吴优办”政务服务品牌,设立“办不成事”受理处,群众办事更加便捷。\n"


def write_report(tmp_path: Path, text: str = REPORT, encoding: str = "utf-8", name: str = "r.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_report_becomes_a_source_that_validates_and_can_be_quoted(mini, tmp_path):
    report = write_report(tmp_path)
    result = invoke(
        "new-source", str(report), "--url", "https://example.gov.cn/a.html", "--date", "2025-03-18", "-C", str(mini)
    )
    assert result.exit_code == 0, result.stderr
    meta, text = (Path(line) for line in result.stdout.splitlines())
    assert meta == mini / "sources" / "wubu-2025.yaml" and text == mini / "sources" / "wubu-2025.txt"
    data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    assert data["title"] == "吴堡县深化政务服务改革" and data["locality"] == "wubu" and data["script"] == "Hans"
    assert data["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert data["date"] == "2025-03-18" and data["url"] == "https://example.gov.cn/a.html"
    assert "publisher" not in data  # not given, not guessed
    assert text.read_text(encoding="utf-8") == REPORT
    assert "陕西省 > 榆林市 > 吴堡县" in result.stderr  # the place, said aloud
    assert invoke("validate", str(mini)).exit_code == 0
    new = invoke("new", "--name", "吴优办", "--locality", "wubu", "--source", "wubu-2025", "-C", str(mini))
    assert new.exit_code == 0, new.stderr  # the quote is found in the stored text
    assert invoke("validate", str(mini)).exit_code == 0


def test_any_encoding_is_stored_as_utf8_and_traditional_is_recognised(mini, tmp_path):
    traditional = "赤水市推行幹部定責、組織定位、群眾定效的“三定”工作機制,凝聚脫貧攻堅強大合力。\n"
    report = write_report(tmp_path, traditional, "big5")
    result = invoke("new-source", str(report), "--title", "赤水三定", "--id", "chishui-big5", "-C", str(mini))
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load((mini / "sources/chishui-big5.yaml").read_text(encoding="utf-8"))
    assert data["script"] == "Hant" and data["locality"] == "chishui"
    assert data["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()  # of the bytes as received
    assert "big5" in data["notes"].lower()
    assert (mini / "sources/chishui-big5.txt").read_text(encoding="utf-8") == traditional


def test_nothing_is_written_over_and_ids_do_not_collide(mini, tmp_path):
    report = write_report(tmp_path)
    first = invoke("new-source", str(report), "--date", "2025", "-C", str(mini))
    second = invoke("new-source", str(report), "--date", "2025", "-C", str(mini))
    assert first.exit_code == second.exit_code == 0
    assert (mini / "sources/wubu-2025.yaml").is_file() and (mini / "sources/wubu-2025-2.yaml").is_file()
    before = (mini / "sources/wubu-2025.yaml").read_bytes()
    taken = invoke("new-source", str(report), "--id", "wubu-2025", "--title", "另一个", "-C", str(mini))
    assert taken.exit_code == 1 and "exists" in taken.stderr and "--force" in taken.stderr
    assert (mini / "sources/wubu-2025.yaml").read_bytes() == before
    forced = invoke("new-source", str(report), "--id", "simp-copy", "-C", str(mini))
    (mini / "sources/simp-copy.txt").write_text("changed\n", encoding="utf-8")
    again = invoke("new-source", str(report), "--id", "simp-copy", "-C", str(mini))
    assert forced.exit_code == 0 and again.exit_code == 1 and "exists" in again.stderr
    assert (mini / "sources/simp-copy.txt").read_text(encoding="utf-8") == "changed\n"
    assert invoke("new-source", str(report), "--id", "simp-copy", "--force", "-C", str(mini)).exit_code == 0
    assert (mini / "sources/simp-copy.txt").read_text(encoding="utf-8") == REPORT


def test_bad_metadata_is_one_line_and_writes_nothing(mini, tmp_path):
    report = write_report(tmp_path)
    before = sorted(p.name for p in (mini / "sources").iterdir())
    for args, said in (
        (("--date", "18/03/2025"), "date"),
        (("--url", "javascript:alert(1)"), "url"),
        (("--locality", "火星"), "火星"),
    ):
        result = invoke("new-source", str(report), *args, "-C", str(mini))
        assert result.exit_code == 2, (args, result.stderr)
        assert said in result.stderr and len(result.stderr.strip().splitlines()) <= 2, result.stderr
        assert "Traceback" not in result.stderr
    headless = write_report(tmp_path, "一" * 200 + "\n", name="long.txt")
    result = invoke("new-source", str(headless), "-C", str(mini))
    assert result.exit_code == 2 and "--title" in result.stderr
    assert sorted(p.name for p in (mini / "sources").iterdir()) == before


def test_dry_run_prints_the_metadata_and_writes_nothing(mini, tmp_path):
    before = (mini / "localities.yaml").read_bytes()
    result = invoke("new-source", str(write_report(tmp_path)), "--dry-run", "-C", str(mini))
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout)["title"] == "吴堡县深化政务服务改革"
    assert not list((mini / "sources").glob("wubu*")) and (mini / "localities.yaml").read_bytes() == before


def test_standard_input_in_a_real_process(mini):
    done = run_polcat("new-source", "-", "--id", "from-stdin", "-C", str(mini), input=REPORT)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((mini / "sources/from-stdin.yaml").read_text(encoding="utf-8"))
    assert "original_file" not in data and data["title"] == "吴堡县深化政务服务改革"
    listed = json.loads(run_polcat("sources", "-C", str(mini), "-f", "json").stdout)
    assert "from-stdin" in {s["id"] for s in listed}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_a_source_or_one_clear_line(mini, tmp_path_factory, data):
    report = tmp_path_factory.mktemp("r") / "r.txt"
    report.write_bytes(data)
    result = invoke("new-source", str(report), "--dry-run", "--title", "t", "-C", str(mini))
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
