"""A learned judgement: logistic regression over the evidence the rules compute.

The hand rules of :mod:`~polcat.extract.judge` accept a label on strong evidence or on
uncontradicted weak evidence; they reach 96% on the reports they were written against
and about 75% on reports they never saw. This module weighs the same evidence with
weights learned from labelled reports instead: every label the report quotes or the
unquoted rules find (also those the form rules out) becomes a set of binary features —
each rule that spoke for or against it, how it is written, its length and form, the
dictionary's tag, how often it is used — and the model gives the probability that it
names a mechanism. ``benchmarks/train_judge.py`` fits the weights (pure Python,
deterministic) and writes ``judge_weights.json``; docs/extract.md says how and how well.

Features are computed per label from its uses only (a fixed amount of work a use), so
the judgement keeps extract linear in its input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Union

from polcat.extract.lexicon import NAME_ENDINGS, TYPE_NOUNS, word_tag
from polcat.extract.quotes import Evidence
from polcat.extract.shapes import is_campaign, is_number_code, is_parallel, is_plain_list, is_plus_model

Use = tuple[int, int, Evidence]  # clean start, clean end, evidence
WEIGHTS = Path(__file__).with_name("judge_weights.json")
# The judgement extract uses when none is asked for: "rules" or "learned" (docs/extract.md
# "Measured quality" says why).
DEFAULT = "rules"
_LENGTHS = ((2, "2"), (3, "3"), (4, "4"), (6, "5-6"), (9, "7-9"), (14, "10-14"))


@dataclass(frozen=True)
class Model:
    """Weights of a logistic regression over binary features, and the probability from
    which a label is accepted."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def to_dict(self) -> dict[str, object]:
        return {"bias": self.bias, "threshold": self.threshold, "weights": dict(sorted(self.weights.items()))}


Judgement = Union[str, Model, None]  # noqa: UP007 (a runtime alias: `|` on a str fails)


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The model trained by benchmarks/train_judge.py, shipped beside this module."""
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return Model({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]), float(data["threshold"]))


def resolve(judgement: Judgement) -> Model | None:
    """The model a judgement asks for, or None for the hand rules."""
    if judgement is None:
        judgement = DEFAULT
    if isinstance(judgement, Model):
        return judgement
    if judgement == "rules":
        return None
    if judgement == "learned":
        return shipped_model()
    raise ValueError(f"unknown judgement {judgement!r}: rules or learned")


def _rule(reason: str) -> str:
    """A reason without its detail (“followed by: 机制” -> “followed by”)."""
    return reason.partition(": ")[0]


def features(key: str, uses: list[Use], unjudged: list[Use], rules_accepted: bool, first_line_end: int) -> set[str]:
    """The binary features of a label (its clean key) from all its uses."""
    out: set[str] = set()
    everything = [*uses, *unjudged]
    for start, _end, ev in everything:
        out.update(f"for: {_rule(r)}" for r in ev.strong)
        out.update(f"weak: {_rule(r)}" for r in ev.weak)
        out.update(f"against: {_rule(r)}" for r in ev.against)
        out.update(f"written: {m}" for m in ev.marks)
        if first_line_end == -1 or start < first_line_end:
            out.add("stands in the first line")
    n_strong = sum(1 for *_, ev in uses if ev.strong)
    n_weak = sum(1 for *_, ev in uses if ev.weak and not ev.strong)
    n_against = sum(1 for *_, ev in uses if ev.against)
    out.add(f"uses: {_bucket(len(everything), 2)}")
    out.add(f"uses with strong evidence: {_bucket(n_strong, 1)}")
    out.add(f"uses with weak evidence only: {_bucket(n_weak, 1)}")
    out.add(f"uses with evidence against: {_bucket(n_against, 1)}")
    if unjudged and not uses:
        out.add("the rules never judge it")
    if not any(ev.strong or ev.weak for *_, ev in uses):
        out.add("no evidence")
    if rules_accepted:
        out.add("the rules accept it")
    out.update(form_features(key))
    return out


def form_features(key: str) -> set[str]:
    """What the label's own characters say: length, numbers, shape, the dictionary."""
    out = {f"length: {next((name for top, name in _LENGTHS if len(key) <= top), '15+')}"}
    if is_number_code(key):
        out.add("form: number code")
    if is_plus_model(key):
        out.add("form: X+Y")
    if is_parallel(key):
        out.add("form: parallel clauses")
    elif is_plain_list(key):
        out.add("form: a plain list")
    if re.search(r"\d", key):
        out.add("form: a digit")
    if re.search("[A-Za-z]", key):
        out.add("form: Latin letters")
    if re.search("[、，,]", key):
        out.add("form: holds a list mark")
    if is_campaign(key):
        out.add("form: a campaign")
    if key.endswith(NAME_ENDINGS):
        out.add("form: ends in a name noun")
    if key.endswith(tuple(t for t in TYPE_NOUNS if len(t) > 1)):
        out.add("form: ends in a type noun")
    if key.endswith("式"):
        out.add("form: ends in 式")
    if key.endswith("化"):
        out.add("form: ends in 化")
    out.add(f"dictionary: {word_tag(key) or 'no word'}" if len(key) <= 12 else "dictionary: no word")
    return out


def _bucket(value: int, high: int) -> str:
    return str(value) if value <= high else f"more than {high}"
