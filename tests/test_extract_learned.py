"""extract's learned judgement (polcat.extract.learned, benchmarks/train_judge.py): the
features of a label, the shipped weights, deterministic training, and the switch between
the hand rules and the model."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

from polcat.extract import clean, find_candidates
from polcat.extract.judge import collect_uses, rules_accept
from polcat.extract.learned import WEIGHTS, Model, features, resolve, shipped_model
from polcat.model import Name

REPO = Path(__file__).resolve().parent.parent

REPORT = (
    "某县推行“三定”工作机制，建立“红黄榜”制度，落实“两个80%”要求。\n"
    "群众说：“海嘎一天不脱贫，我就一天不下山。”干部发挥“领头雁”作用。\n"
)


def label_features(text: str) -> dict[str, set[str]]:
    cleaned = clean(text)
    uses, unjudged = collect_uses(cleaned)
    first_line = cleaned.simple.find("\n")
    return {
        key: features(key, uses.get(key, []), unjudged.get(key, []), bool(rules_accept(uses.get(key, []))), first_line)
        for key in {*uses, *unjudged}
    }


def test_features_name_the_evidence_the_rules_see():
    feats = label_features(REPORT)
    assert {"for: followed by", "written: quoted “", "form: number code", "length: 2"} <= feats["三定"]
    assert "the rules accept it" in feats["三定"]
    assert {"for: introduced by", "form: a digit"} <= feats["两个80%"]
    # a metaphor counts against: the rules do not accept it
    assert (
        "against: used as a metaphor (…作用, 这个…, 打好…)" in feats["领头雁"]
        or "the rules never judge it" in feats["领头雁"]
    )
    assert "the rules accept it" not in feats["领头雁"]


def test_quotations_the_form_rules_out_are_weighed_too():
    feats = label_features(REPORT)
    speech = next(k for k in feats if k.startswith("海嘎"))
    assert "the rules never judge it" in feats[speech]
    assert any(f.startswith("against: ruled out by its form") for f in feats[speech])
    assert "stands in the first line" not in feats[speech]
    assert "stands in the first line" in feats["三定"]


def test_the_rules_never_see_what_their_form_rules_out():
    """Collecting the unjudged uses leaves the rules' own judgement as it was."""
    cleaned = clean(REPORT)
    uses, unjudged = collect_uses(cleaned)
    assert not set(unjudged) & {k for k, v in uses.items() if rules_accept(v)}
    rules = [c.key for c in find_candidates(REPORT, "rules")]
    assert "三定" in rules and not any(k.startswith("海嘎") for k in rules)


def test_the_shipped_weights_load_and_were_trained_on_the_dev_split_only():
    model = shipped_model()
    assert 0 < model.threshold < 1 and len(model.weights) >= 20
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    trained = data["trained"]
    assert trained["by"] == "benchmarks/train_judge.py"
    import yaml

    heldout = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["id"]
        for p in (REPO / "benchmarks" / "corpus").glob("*.yaml")
        if yaml.safe_load(p.read_text(encoding="utf-8")).get("split") != "dev"
    }
    assert heldout and not heldout & set(trained["reports"])
    assert resolve("learned") is model and resolve("rules") is None
    with pytest.raises(ValueError, match="rules or learned"):
        resolve("oracle")


def test_a_model_decides_which_labels_are_candidates():
    nothing = Model({}, -10.0, 0.5)
    assert find_candidates(REPORT, nothing) == []
    everything = Model({}, 10.0, 0.5)
    keys = {c.key for c in find_candidates(REPORT, everything)}
    assert {"三定", "红黄榜", "领头雁"} <= keys  # even what the rules reject
    learned = find_candidates(REPORT, "learned")
    assert all(c.reasons[-1].startswith("learned judgement: ") for c in learned)
    assert "三定" in {c.key for c in learned}
    assert set(learned[0].to_dict()) == set(find_candidates(REPORT, "rules")[0].to_dict())


def train_judge():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        return importlib.import_module("train_judge")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def test_training_is_deterministic_and_learns_from_its_labels():
    tj = train_judge()
    bench = sys.modules["extract_quality"]
    texts = [
        ("a", "甲县推行“三定”工作机制，建立“四议两公开”制度。干部发挥“领头雁”作用。", ["三定", "四议两公开"]),
        ("b", "乙县实施“一村一品”工程，打造“终点站”。群众说：“我们不下山。”", ["一村一品"]),
        ("c", "丙县推行“两委联动”机制，发挥“主心骨”作用，开展“三清一改”行动。", ["两委联动", "三清一改"]),
    ]
    reports = [
        bench.Report(
            rid, text, [bench.Expected(f"{rid}#{i}", Name(zh=n)) for i, n in enumerate(names)], "x", "Hans", None
        )
        for rid, text, names in texts
    ]
    examples = [e for r in reports for e in tj.examples_of(r)]
    assert {e.key for e in examples if e.right} == {"三定", "四议两公开", "一村一品", "两委联动", "三清一改"}
    first = tj.fit(examples, 1.0, frozenset({tj.RULES_FEATURE}))
    again = tj.fit(list(reversed(examples)), 1.0, frozenset({tj.RULES_FEATURE}))
    assert first == again
    weights, bias = first
    assert tj.RULES_FEATURE not in weights
    model = Model(weights, bias, 0.5)
    for example in examples:
        assert (model.probability(example.features) >= 0.5) == example.right, example.key
