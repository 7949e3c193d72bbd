"""Train extract's learned judgement (src/polcat/extract/judge_weights.json).

    python benchmarks/train_judge.py [--seeds DIR] [--check] [--no-write]

Standard library only, deterministic (no randomness; fixed iterations; sorted features).

1. Candidates. Every label of a report that extract's rules see (each quotation, also the
   ones the form rules out, and every unquoted label the rules find) with its binary
   features (polcat.extract.learned.features), on the corpus's dev split and the seed
   reports (../shared/seeds; skipped when absent). The held-out split is never read.
2. Labels. A label is right when it names an item of the report's reference, by the rule
   benchmarks/extract_quality.py scores with (same name in either script or give or take
   a type noun; for the seeds, the catalogue entries citing the report).
3. Model. Logistic regression with an L2 penalty, fitted by full-batch gradient descent
   (Adagrad steps, 300 iterations from zero weights) on the unique feature sets weighted
   by how often they occur.
4. Selection. Leave one report out: for each report, a model fitted on all the others
   judges it and the whole extract pipeline runs on it with that judgement; recall and
   precision are pooled over reports. The grid is the penalty x the probability
   threshold x with or without the rules' own decision as a feature; the setting with the
   best pooled F1 is refitted on every report and written out.

--check refits the chosen setting and fails when the result differs from the shipped
weights (tests use the fitting functions on their own data).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_quality import REPO, Report, Score, corpus_reports, label_aliases, score, seed_reports

from polcat import locate
from polcat.catalogue import load_catalogue
from polcat.extract import Candidate, clean, match_known, name_index
from polcat.extract.judge import candidates_in, collect_uses, rules_accept
from polcat.extract.learned import WEIGHTS, Model, features

PENALTIES = (1.0, 3.0, 10.0)  # L2 strength: λ of Σ log-loss + λ/2 ‖w‖²
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
RULES_FEATURE = "the rules accept it"
ITERATIONS = 300
STEP = 0.5


@dataclass
class Example:
    report: str
    key: str
    features: frozenset[str]
    right: bool


def examples_of(report: Report) -> list[Example]:
    """Every label of a report with its features and whether it names a reference item."""
    cleaned = clean(report.text)
    uses, vetoed = collect_uses(cleaned)
    index = name_index(report.reference)
    first_line = cleaned.simple.find("\n")
    out = []
    for key in sorted({*uses, *vetoed}):
        mine, ruled_out = uses.get(key, []), vetoed.get(key, [])
        aliases = label_aliases(key, uses, vetoed)
        feats = features(key, mine, ruled_out, bool(rules_accept(mine)), first_line)
        named = match_known(None, Candidate(key, 0, aliases=aliases, key=key), index) is not None
        out.append(Example(report.id, key, frozenset(feats), named))
    return out


def fit(examples: list[Example], penalty: float, drop: frozenset[str] = frozenset()) -> tuple[dict[str, float], float]:
    """Weights and bias of an L2 logistic regression (deterministic gradient descent)."""
    rows = Counter((tuple(sorted(e.features - drop)), e.right) for e in examples)
    data = sorted(rows.items())
    names = sorted({f for (feats, _), _ in data for f in feats})
    column = {name: i for i, name in enumerate(names)}
    encoded = [([column[f] for f in feats], 1.0 if right else 0.0, float(n)) for (feats, right), n in data]
    total = sum(n for *_, n in encoded)
    weights = [0.0] * len(names)
    bias = 0.0
    history = [1e-8] * (len(names) + 1)
    for _ in range(ITERATIONS):
        grad = [0.0] * (len(names) + 1)
        for cols, y, n in encoded:
            z = bias + sum(weights[c] for c in cols)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = (p - y) * n / total
            grad[-1] += g
            for c in cols:
                grad[c] += g
        for c in range(len(names)):
            grad[c] += penalty * weights[c] / total
        for c, g in enumerate(grad):
            history[c] += g * g
            step = STEP * g / math.sqrt(history[c])
            if c == len(names):
                bias -= step
            else:
                weights[c] -= step
    return {name: round(weights[i], 4) for i, name in enumerate(names) if abs(weights[i]) >= 1e-4}, round(bias, 4)


def judged_score(report: Report, model: Model | str) -> Score:
    """The report scored with the whole extract pipeline under a judgement."""
    return score(None, report.reference, candidates_in(clean(report.text), model), report.id)


def pooled(scores: list[Score]) -> Score:
    total = Score()
    for s in scores:
        total.add(s)
    return total


def f1(s: Score) -> float:
    return 2 * s.recall * s.precision / (s.recall + s.precision) if s.recall + s.precision else 0.0


def cross_validate(
    reports: list[Report], examples: dict[str, list[Example]], penalty: float, drop: frozenset[str]
) -> dict[float, dict[str, Score]]:
    """Per threshold, the score of each report judged by a model fitted without it."""
    out: dict[float, dict[str, Score]] = {t: {} for t in THRESHOLDS}
    for report in reports:
        training = [e for r in reports if r.id != report.id for e in examples[r.id]]
        weights, bias = fit(training, penalty, drop)
        for threshold in THRESHOLDS:
            out[threshold][report.id] = judged_score(report, Model(weights, bias, threshold))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--no-write", action="store_true", help="report the cross-validation only")
    parser.add_argument("--check", action="store_true", help="refit the shipped setting and compare")
    args = parser.parse_args()
    cat = load_catalogue(locate.shipped_catalogue())
    reports = corpus_reports("dev")
    groups = {r.id: "dev" for r in reports}
    if args.seeds.is_dir():
        seeds = seed_reports(cat, args.seeds)
        reports += seeds
        groups.update({r.id: "seeds" for r in seeds})
    else:
        print(f"(no seeds folder at {args.seeds}: trained on the dev split alone)", file=sys.stderr)
    examples = {r.id: examples_of(r) for r in reports}
    print(
        f"{len(reports)} reports, {sum(map(len, examples.values()))} labels, "
        f"{sum(e.right for x in examples.values() for e in x)} right"
    )
    if args.check:
        shipped = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        setting = shipped["trained"]
        drop = frozenset() if setting["rules_feature"] else frozenset({RULES_FEATURE})
        weights, bias = fit([e for x in examples.values() for e in x], setting["penalty"], drop)
        same = weights == shipped["weights"] and bias == shipped["bias"]
        print("refit: the same weights" if same else "refit: DIFFERENT weights")
        sys.exit(0 if same else 1)
    rules = {r.id: judged_score(r, "rules") for r in reports}
    print_row("rules (no fitting: written on these reports)", rules, groups, reports)
    best: tuple[float, float, float] | None = None
    cv: dict[tuple[float, float, bool], dict[str, Score]] = {}
    for with_rules in (False, True):
        drop = frozenset() if with_rules else frozenset({RULES_FEATURE})
        for penalty in PENALTIES:
            for threshold, scores in cross_validate(reports, examples, penalty, drop).items():
                cv[(penalty, threshold, with_rules)] = scores
                which = "with" if with_rules else "without"
                print_row(
                    f"learned, {which} the rules' decision, L2 {penalty}, p >= {threshold}", scores, groups, reports
                )
                value = f1(pooled(list(scores.values())))
                # (with the rules' decision as a feature, cross-validation only measures the
                # rules again: they were written on every report it holds out)
                if not with_rules and (best is None or value > best[0] + 1e-9):
                    best = (value, penalty, threshold)
    assert best is not None
    _, penalty, threshold = best
    with_rules = False
    print(f"\nchosen: L2 {penalty}, threshold {threshold}, without the rules' decision\n")
    print_fields(reports, groups, rules, cv[(penalty, threshold, False)])
    if args.no_write:
        return
    drop = frozenset() if with_rules else frozenset({RULES_FEATURE})
    weights, bias = fit([e for x in examples.values() for e in x], penalty, drop)
    data = Model(weights, bias, threshold).to_dict()
    data["trained"] = {
        "by": "benchmarks/train_judge.py",
        "reports": sorted(groups),
        "penalty": penalty,
        "rules_feature": with_rules,
        "iterations": ITERATIONS,
    }
    WEIGHTS.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(REPO)}: {len(weights)} weights")


def print_fields(
    reports: list[Report], groups: dict[str, str], rules: dict[str, Score], learned: dict[str, Score]
) -> None:
    """Per policy field (and per set): the rules beside the cross-validated learned judgement."""
    print("| group | names | rules: candidates | recall | precision | learned (CV): candidates | recall | precision |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    keyed: dict[str, list[str]] = {}
    for r in reports:
        for group in (f"{groups[r.id]}, field: {r.field}", f"**{groups[r.id]}**"):
            keyed.setdefault(group, []).append(r.id)
    for group in sorted(keyed, key=lambda g: (g.startswith("**"), g)):
        a, b = pooled([rules[i] for i in keyed[group]]), pooled([learned[i] for i in keyed[group]])
        print(
            f"| {group} | {a.reference} | {a.candidates} | {a.recall:.1%} | {a.precision:.1%} "
            f"| {b.candidates} | {b.recall:.1%} | {b.precision:.1%} |"
        )


def print_row(label: str, scores: dict[str, Score], groups: dict[str, str], reports: list[Report]) -> None:
    cells = []
    for group in ("dev", "seeds"):
        mine = pooled([scores[r.id] for r in reports if groups[r.id] == group])
        if mine.reference:
            cells.append(f"{group} {mine.recall:.1%} / {mine.precision:.1%}")
    fields: dict[str, list[Score]] = {}
    for r in reports:
        if groups[r.id] == "dev":
            fields.setdefault(r.field, []).append(scores[r.id])
    worst = min((pooled(s).recall, f) for f, s in fields.items()) if fields else (0.0, "-")
    print(
        f"{label}: {'; '.join(cells)}; all F1 {f1(pooled(list(scores.values()))):.3f}; weakest dev field recall {worst[0]:.1%} ({worst[1]})",
        flush=True,
    )


if __name__ == "__main__":
    main()
