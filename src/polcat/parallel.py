"""Cold validation on every core: entries parsed and checked in worker processes.

A cold ``polcat validate`` spends its time parsing YAML and checking each entry on its
own (schema, references to the registries and sources, quotes). Those steps need only
the entry itself plus the registries and sources, so :func:`load_and_check` loads the
registries and sources here, hands the entry files the cache does not hold to worker
processes in chunks, and takes back from each file what parsing gave (the very item the
cache keeps), its schema verdict and the problems the per-file rules found. With many
sources, workers first check the sources and fold their texts for quote comparison,
once each, and the entries' workers start with every text folded.

Everything else stays in this process and in file order: the catalogue is assembled
exactly as a serial load assembles it (cached files are read from the cache here), rules
marked ``needs_every_entry`` and every ``finalize`` (unique ids, cycles) run once over
all of it, and :func:`polcat.validate.run_rules` puts each worker's problems where the
serial run would have found them. The result is the same for any number of jobs.

Below :data:`MIN_FILES` files to parse, starting workers costs more than it saves, and
everything runs here as before.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import pickle
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from polcat.cache import Cached
from polcat.catalogue import MECHANISM, SOURCE, Catalogue, Record, entry_files, load_serially, open_catalogue
from polcat.files import parse_file, probe_stamp
from polcat.problems import Problem
from polcat.progress import Progress
from polcat.rules import Context, Rule
from polcat.yamlload import Document

# Files to parse below which workers are not worth starting: on the standard 2-core
# machine they break even at 500 to 1,000 files and save a quarter of the time at 2,000
# (docs/benchmarks.md, "Cold validation on every core"). Each worker gets at least half
# of this many files.
MIN_FILES = 1000
# Chunks per worker: enough that a slow chunk does not leave the other workers idle at
# the end, few enough that sending them costs nothing.
CHUNKS_PER_JOB = 8
MAX_CHUNK = 2000
# Sources above which they are folded for quotes once, in parallel, before the entries
# are checked (about 0.5 ms each), rather than again by every worker that meets them.
MIN_SOURCES_TO_FOLD = 200
# How workers start: None is the platform's default (fork on Linux until Python 3.14,
# which inherits what this process built; spawn on macOS and Windows, which receives it
# pickled). Tests set "spawn" to check that everything a worker gets can be sent.
START_METHOD: str | None = None


@dataclass
class Checked:
    """Entry and source files the per-file rules already checked (by path) and what they
    found, keyed by (path, rule id, whether on the record rather than the document); and
    the sources' folded texts, by id, which the rules run here need as well."""

    paths: set[str] = field(default_factory=set)
    found: dict[tuple[str, str, bool], list[Problem]] = field(default_factory=dict)
    folded: dict[str, str | None] = field(default_factory=dict)  # source texts folded for quotes, by id


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def load_and_check(
    root: Path, extra_files: list[Path], use_cache: bool, rules: list[Rule], jobs: int, progress: Progress | None = None
) -> tuple[Catalogue, Checked | None]:
    """The loaded catalogue, and the entries checked in workers (None when none were).

    ``progress`` is called with (files parsed, files to parse) as they are parsed (the
    files the cache holds cost next to nothing and are not counted)."""
    if jobs <= 1 and progress is None:
        return load_serially(root, extra_files, use_cache), None
    cat = open_catalogue(root, use_cache)
    paths = entry_files(cat, extra_files)
    probes = [cat.probe(p) for p in paths]
    todo = [(path, probe_stamp(probed)) for path, probed in zip(paths, probes, strict=False) if probed.hit is None]
    parsed = _Counter(len(todo), progress)
    if jobs <= 1 or len(todo) < MIN_FILES:
        for path, probed in zip(paths, probes, strict=False):
            cat.load_entry(path, probed)
            if probed.hit is None:
                parsed.add()
        return cat, None
    jobs = max(1, min(jobs, len(todo) // max(1, MIN_FILES // 2)))  # each worker gets enough to be worth starting
    base = _for_workers(cat)
    rule_ids = [r.id for r in rules]
    _prepare(rules)  # before the workers start, so that (forked) they inherit it
    done = Checked()
    _check_sources(cat, base, jobs, rule_ids, done)
    size = min(MAX_CHUNK, -(-len(todo) // (jobs * CHUNKS_PER_JOB)))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    with _pool(jobs, base, rule_ids, done.folded) as pool:
        results = (result for chunk in pool.map(_check_chunk, chunks) for result in _unpack(chunk))
        for path, probed in zip(paths, probes, strict=False):
            if probed.hit is not None:
                cat.load_entry(path, probed)
                continue
            item, verdict, found = next(results)
            parsed.add()
            doc = cat.load_entry(path, probed, Cached(*item))
            if doc is None:  # a load problem, recorded by load_entry as in a serial run
                continue
            key = doc.path_str
            done.paths.add(key)
            if verdict is not None:
                cat.learn_schema_verdict(doc, verdict)
            for rule_id, on_record, problems in found:
                done.found[(key, rule_id, on_record)] = problems
    return cat, done


class _Counter:
    """Counts files parsed and tells ``progress`` every so often (and at the end): a call
    per file would cost more than a bar is worth."""

    EVERY = 64

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress, self.done = total, progress, 0

    def add(self) -> None:
        self.done += 1
        if self.progress is not None and (self.done % self.EVERY == 0 or self.done == self.total):
            self.progress(self.done, self.total)


def _prepare(rules: list[Rule]) -> None:
    """Build what every worker needs once: the schemas' checks, the folding table."""
    from polcat.chinese import fold_for_quote
    from polcat.schema import fast_check_for

    if any(r.id == "schema" for r in rules):
        fast_check_for(MECHANISM)
        fast_check_for(SOURCE)
    fold_for_quote("")


def _check_sources(cat: Catalogue, base: Catalogue, jobs: int, rule_ids: list[str], done: Checked) -> None:
    """With many sources, check them and fold their texts for quotes on every core, once,
    before the entries (a worker would otherwise fold again every source it meets)."""
    sources = [record for record in cat.records if record.kind == SOURCE]
    if len(sources) < MIN_SOURCES_TO_FOLD:
        return  # checked here, and folded by each worker as it meets them
    size = -(-len(sources) // (jobs * 2))
    parts = [range(i, min(i + size, len(sources))) for i in range(0, len(sources), size)]
    with _pool(jobs, base, rule_ids, {}, sources) as pool:
        for part, results in zip(parts, pool.map(_check_source_part, parts), strict=False):
            for index, (registered, folded, verdict, found) in zip(part, results, strict=False):
                record = sources[index]
                if registered and record.id is not None:
                    done.folded[record.id] = folded
                key = record.document.path_str
                done.paths.add(key)
                if verdict is not None:
                    cat.learn_schema_verdict(record.document, verdict)
                for rule_id, on_record, problems in found:
                    done.found[(key, rule_id, on_record)] = problems


@contextmanager
def _pool(
    jobs: int, base: Catalogue, rule_ids: list[str], folded: dict[str, str | None], sources: list[Record] | None = None
) -> Iterator[ProcessPoolExecutor]:
    """Worker processes; on an interrupt (Ctrl-C) or error the work not started is dropped
    at once, instead of being done before the pool closes."""
    context = multiprocessing.get_context(START_METHOD) if START_METHOD else None
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(base, rule_ids, folded, list(sources or []))
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


class _Withheld:
    """What a worker's catalogue has instead of the entries: reading it is a bug."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"a rule read catalogue.{self.name} while checking one entry in a worker process; "
            "mark it needs_every_entry (polcat.rules.Rule)"
        )

    __getitem__ = __contains__ = __iter__ = __len__ = get = keys = values = items = setdefault = _refuse


def _for_workers(cat: Catalogue) -> Catalogue:
    """The registries and sources, without the cache and with the entries withheld."""
    return replace(
        cat,
        cache=None,
        documents=_Withheld("documents"),  # type: ignore[arg-type]  # a guard, not data: workers never read entries
        records=_Withheld("records"),  # type: ignore[arg-type]
        problems=[],
        mechanisms=_Withheld("mechanisms"),  # type: ignore[arg-type]
        schema_verdicts=dict(cat.schema_verdicts),
        search_keys={},
        _learnt=set(),
        _typed={},
    )


_WORKER: tuple[Catalogue, list[Rule], Context, list[Record]] | None = None


def _start_worker(base: Catalogue, rule_ids: list[str], folded: dict[str, str | None], sources: list[Record]) -> None:
    from polcat.rules import ALL_RULES

    global _WORKER
    gc.disable()  # short-lived, and what it builds holds no cycles (as in polcat.cli.app.main)
    signal.signal(
        signal.SIGINT, signal.SIG_IGN
    )  # Ctrl-C is the main process's to handle, without a traceback per worker
    wanted = set(rule_ids)
    rules = [rule() for rule in ALL_RULES if rule.id in wanted and not rule.needs_every_entry]
    _WORKER = (base, rules, Context(base, folded), sources)


def _check(kind: str, record: Record) -> tuple[bool | None, list]:
    """Run the per-entry rules on a file with one record: its schema verdict, if one was
    learnt, and [(rule id, on the record?, problems)]."""
    assert _WORKER is not None
    base, rules, ctx, _ = _WORKER
    doc, found = record.document, []
    for rule in rules:
        problems = list(rule.check_document(kind, doc, ctx))
        if problems:
            found.append((rule.id, False, problems))
        if kind in rule.kinds:
            problems = list(rule.check(record, ctx))
            if problems:
                found.append((rule.id, True, problems))
    key = doc.path_str
    if key not in base._learnt:  # none checked, or known from the cache (sources only)
        return None, found
    base._learnt.discard(key)
    return base.schema_verdicts.pop(key), found


def _check_source_part(part: range) -> list[tuple[bool, str | None, bool | None, list]]:
    """Fold and check some sources: (whether its id is its own, so that its text was
    folded; the folded text; schema verdict; problems) each."""
    assert _WORKER is not None
    base, _, ctx, sources = _WORKER
    out = []
    for index in part:
        record = sources[index]
        registered = record.id is not None and base.sources.get(record.id) is record
        folded = ctx.folded_source_text(record.id) if registered and record.id is not None else None
        out.append((registered, folded, *_check(SOURCE, record)))
    return out


def _check_chunk(chunk: list[tuple[Any, tuple]]) -> tuple[bytes, bool, dict[int, list]]:
    """Parse each file and run the per-entry rules on it.

    Returns the (cache item, schema verdict) of each file, in order, serialised at once
    (marshal, as the cache itself: about twice as fast as pickle both ways), whether that
    is marshal, and the problems found, by position in the chunk: [(rule id, on the
    record?, problems)].
    """
    out, found = [], {}
    for index, (path, file_stamp) in enumerate(chunk):
        item = parse_file(path, file_stamp)
        verdict = None
        if item.error is None and isinstance(item.data, dict):
            verdict, here = _check(MECHANISM, Record(MECHANISM, item.data, Document(path, item.data)))
            if here:
                found[index] = here
        out.append((tuple(item), verdict))
    try:
        return marshal.dumps(out), True, found
    except ValueError:  # pragma: no cover - YAML gives only what marshal stores
        return pickle.dumps(out, pickle.HIGHEST_PROTOCOL), False, found


def _unpack(chunk: tuple[bytes, bool, dict[int, list]]) -> Iterator[tuple[tuple, bool | None, list]]:
    blob, is_marshal, found = chunk
    for index, (item, verdict) in enumerate(marshal.loads(blob) if is_marshal else pickle.loads(blob)):
        yield item, verdict, found.get(index, [])
