"""Run every rule over a catalogue and collect the problems, grouped by file."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from polcat import locate
from polcat.catalogue import Catalogue
from polcat.problems import Problem
from polcat.progress import Progress
from polcat.rules import ALL_RULES, LOADER_RULES, Context, Rule

if TYPE_CHECKING:
    from polcat.parallel import Checked


@dataclass
class Result:
    """The outcome of one validation run."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.file, []).append(problem)
        return grouped


def rule_ids() -> dict[str, str]:
    """Every rule id polcat knows, with its description."""
    return {**LOADER_RULES, **{rule.id: rule.description for rule in ALL_RULES}}


class UnknownRule(ValueError):
    """An ignored rule id that polcat does not have (a usage error)."""


def select_rules(ignore: Iterable[str] = ()) -> list[Rule]:
    ignore = set(ignore)
    unknown = ignore - set(rule_ids())
    if unknown:
        raise UnknownRule(f"unknown rule id: {', '.join(sorted(unknown))}")
    return [rule() for rule in ALL_RULES if rule.id not in ignore]


def run_rules(catalogue: Catalogue, rules: list[Rule], done: Checked | None = None) -> list[Problem]:
    """Every problem, in a fixed order: the load problems, then rule by rule the problems
    of each document, of each record, and of the whole catalogue.

    ``done``: entries already checked by the rules that need no other entry (in worker
    processes); their problems are taken from it and put in the same places.
    """
    ctx = Context(catalogue, done.folded if done is not None else None)
    problems = list(catalogue.problems)
    documents = list(enumerate(catalogue.documents))
    records = [(i, r) for i, r in enumerate(catalogue.records)]
    if done is not None and done.paths:
        # Which documents and records are left to check here, and where in the order each
        # problem found in a worker goes (a checked file has one record: entry or source).
        paths = done.paths
        documents_left = [(i, item) for i, item in documents if item[1].path_str not in paths]
        records_left = [(i, r) for i, r in records if r.document.path_str not in paths]
        doc_index = {doc.path_str: i for i, (_, doc) in documents if doc.path_str in paths}
        record_index = {r.document.path_str: i for i, r in records if r.document.path_str in paths}
        found: dict[tuple[str, bool], list[tuple[int, list[Problem]]]] = {}
        for (path, rule_id, on_record), found_here in done.found.items():
            index = (record_index if on_record else doc_index)[path]
            found.setdefault((rule_id, on_record), []).append((index, found_here))
    for rule in rules:
        if done is None or not done.paths or rule.needs_every_entry:
            for _, (kind, doc) in documents:
                problems.extend(rule.check_document(kind, doc, ctx))
            for _, record in records:
                if record.kind in rule.kinds:
                    problems.extend(rule.check(record, ctx))
        else:
            placed = [(i, list(rule.check_document(kind, doc, ctx))) for i, (kind, doc) in documents_left]
            placed += found.get((rule.id, False), [])
            for _, found_here in sorted(placed, key=_first):
                problems.extend(found_here)
            placed = [(i, list(rule.check(record, ctx))) for i, record in records_left if record.kind in rule.kinds]
            placed += found.get((rule.id, True), [])
            for _, found_here in sorted(placed, key=_first):
                problems.extend(found_here)
        problems.extend(rule.finalize(ctx))
    return problems


def _first(pair: tuple) -> int:
    return int(pair[0])


def validate(
    root: Path | None = None,
    *,
    only: Iterable[Path] = (),
    extra_files: Iterable[Path] = (),
    ignore: Iterable[str] = (),
    use_cache: bool = True,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Result:
    """Validate the catalogue at ``root``.

    ``only``: report just the problems in these files or folders (the whole catalogue is
    still read, since references cross files). ``extra_files``: entries outside the
    catalogue to check against it. ``ignore``: rule ids to switch off. ``jobs``: worker
    processes for the files not in the cache (``polcat.parallel.default_jobs()``: one
    per core, as the command line does); the result is the same for any number. The
    default, 1, starts no process, so that a script needs no ``if __name__ ==
    "__main__"`` guard where processes are spawned (macOS, Windows). ``progress``: called
    with (files parsed, files to parse) as the files are read (:mod:`polcat.progress`).
    """
    from polcat import parallel

    started = time.perf_counter()
    rules = select_rules(ignore)
    catalogue, done = parallel.load_and_check(
        locate.default_catalogue(root), list(extra_files), use_cache, rules, jobs, progress
    )
    ignored = set(ignore)
    problems = [p for p in run_rules(catalogue, rules, done) if p.rule not in ignored]
    catalogue.save_cache()  # the schema verdicts learnt in this run
    only = [Path(p).resolve() for p in only]
    if only:
        problems = [p for p in problems if _within(Path(p.file).resolve(), only)]
    problems.sort(key=Problem.sort_key)
    files = len(catalogue.documents) + len({p.file for p in catalogue.problems})
    return Result(catalogue.root, problems, files, time.perf_counter() - started)


def _within(path: Path, targets: list[Path]) -> bool:
    return any(path == t or path.is_relative_to(t) for t in targets)
