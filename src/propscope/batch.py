"""Corpus mode: analyse a collection of articles into a store, resumably, locally or on Ray.

The shape follows from two promises. *Resumable*: each article is keyed by the hash of its
text, a rerun skips what the store has (``reanalyse``: what another version of the model
analysed is analysed again, its findings replaced), and analyses are committed a batch at a
time, so a ``kill -9`` loses only articles in flight (being analysed, or analysed in the last
couple of seconds and not yet committed) and never leaves a half-written article. *One
writer*: the
parent process (the Ray driver) alone reads the input and writes the store; workers only turn
``Article``s into ``Analysis``es, so SQLite works as well as PostgreSQL and no worker needs the
database URL. *Shared*: several runs may work on one database at once (two terminals, two
machines); each claims an article in the store before analysing it (``Store.begin_run``), so
no article is analysed twice, and the claims of a run that died are taken over.

>>> summary = run_batch(Path("corpus/"), Store("sqlite:///corpus.db"), LocalEngine(workers=2))
"""

from __future__ import annotations

import csv
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from propscope.article import Article
from propscope.errors import InputError, PropscopeError, UnsupportedLanguageError
from propscope.io.files import check_path, os_reason
from propscope.io.readers import (
    MAX_CHARS,
    article_files,
    bounded_lines,
    check_corpus_file,
    check_readable,
    iter_csv,
    iter_jsonl,
    printable,
    read_article_file,
)

# The article files of a corpus folder: the same rule as `propscope analyze FOLDER`.
corpus_files = article_files

if TYPE_CHECKING:
    from propscope.schema import Analysis
    from propscope.store import Store

__all__ = [
    "ActiveModel",
    "BatchSummary",
    "Engine",
    "InProcessEngine",
    "LocalEngine",
    "Outcome",
    "RayEngine",
    "ReadFailure",
    "active_model",
    "check_corpus",
    "corpus_files",
    "count_corpus",
    "iter_corpus",
    "kept_metadata_warning",
    "make_engine",
    "run_batch",
]

CorpusKind = Literal["directory", "jsonl", "csv"]
JSONL_SUFFIXES = (".jsonl", ".ndjson")
COMMIT_EVERY = 32  # articles per transaction at most ...
COMMIT_SECONDS = 2.0  # ... and at least one commit this often while results arrive
Tick = Literal["analysed", "skipped", "failed"]


# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadFailure:
    """An input that did not become an Article: where it is, and why.

    All three are :func:`printable`: a file name that is not UTF-8 or holds a line break
    can be stored and printed on one line.
    """

    key: str  # a file path, or ``path:line`` of a JSONL/CSV record
    source: str | None
    reason: str
    stops: bool = False  # INPUT could not be read past it (broken CSV quoting, not UTF-8)
    record: str | None = None  # the record's id, where it gave one

    def __post_init__(self) -> None:
        for name in ("key", "source", "reason"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, printable(value))


def corpus_kind(path: Path) -> CorpusKind:
    """What INPUT is: a folder of article files, a JSON Lines file or a CSV file.

    An unreadable INPUT, or one that is a FIFO, a device or a socket, is refused here (one
    line, before any work), never waited on.
    """
    check_path(path)
    if path.is_dir():
        check_readable(path)
        return "directory"
    if not path.exists():
        raise InputError(f"cannot read '{path}': no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in (*JSONL_SUFFIXES, ".csv"):
        raise InputError(
            f"'{path}' is neither a folder nor a .jsonl/.ndjson or .csv file; give a folder of "
            ".txt/.html articles, a JSON Lines file or a CSV file"
        )
    check_readable(path)
    return "jsonl" if suffix in JSONL_SUFFIXES else "csv"


def check_corpus(path: Path, *, max_chars: int = MAX_CHARS) -> CorpusKind:
    """What INPUT is (:func:`corpus_kind`), refusing a JSON Lines or CSV file that is wrong as
    a whole (not UTF-8, a CSV header without id or text) in one line, before any work:
    read record by record, it would fail as one record and leave nothing analysed."""
    kind = corpus_kind(path)
    if kind != "directory":
        check_corpus_file(path, max_chars=max_chars)
    else:
        _check_folder_has_articles(path)
    return kind


def _check_folder_has_articles(path: Path) -> None:
    """Refuse a folder with no article file in it (nor a sub-folder that cannot be read) in
    one line, before any work: a run over it did nothing and said "analysed 0" as if it had
    worked."""
    unreadable: list[OSError] = []
    if not corpus_files(path, unreadable.append) and not unreadable:
        raise InputError(
            f"the folder '{printable(str(path))}' holds no .txt, .html or .htm file (hidden "
            "files and folders are skipped); give a folder of articles, a .jsonl or a .csv file"
        )


def iter_corpus(path: Path, *, max_chars: int = MAX_CHARS) -> Iterator[Article | ReadFailure]:
    """Every article of INPUT in order; a bad one becomes a ``ReadFailure`` and reading goes on.

    Files in a sub-folder of a directory get the folder's name as ``source`` metadata unless
    they name their own (``corpus/bbc/x.html`` -> ``bbc``): one folder per outlet is the
    natural way to lay out a monitored collection.
    """
    kind = corpus_kind(path)
    if kind == "directory":
        unreadable: list[OSError] = []
        files = corpus_files(path, unreadable.append)
        for exc in unreadable:
            folder = str(exc.filename or path)
            message = f"cannot read folder '{folder}': {os_reason(exc)}; its articles were skipped"
            yield ReadFailure(folder, folder, message)
        for file in files:
            try:
                article = read_article_file(file, max_chars=max_chars)
            except InputError as exc:
                yield ReadFailure(str(file), str(file), str(exc))
                continue
            yield _with_folder_source(article, file.relative_to(path))
        return
    reader = iter_jsonl if kind == "jsonl" else iter_csv
    failures: list[ReadFailure] = []

    def on_error(where: str, exc: InputError) -> None:
        failures.append(ReadFailure(where, str(path), str(exc), record=exc.record))

    try:
        for article in reader(path, max_chars=max_chars, on_error=on_error):
            yield from _drain(failures)
            yield article
    except InputError as exc:  # broken CSV syntax or encoding: the rest cannot be trusted
        yield from _drain(failures)
        reason = f"{exc} (the rest of the file was not read)"
        yield ReadFailure(str(path), str(path), reason, stops=True)
    yield from _drain(failures)


def _drain(failures: list[ReadFailure]) -> Iterator[ReadFailure]:
    while failures:
        yield failures.pop(0)


def _with_folder_source(article: Article, relative: Path) -> Article:
    if len(relative.parts) < 2 or "source" in article.metadata:
        return article
    metadata = {**article.metadata, "source": printable(relative.parts[0])}
    return article.model_copy(update={"metadata": metadata})


def _cleaned(article: Article) -> Article:
    """The article with NUL and lone surrogates in its id, source, title and metadata
    replaced by U+FFFD (its text was checked when it was read).

    A JSON record may carry ``"source": "\\ud800"``: UTF-8 cannot encode it, and it stopped the
    run where it was stored (every rerun at the same record). Its text is whole, so the
    article is analysed, and the damaged field shows where a character was lost.
    """
    from propscope.store import storable

    update: dict[str, Any] = {}
    for name in ("id", "source", "title"):
        value = getattr(article, name)
        if value is not None and (clean := storable(value)) != value:
            update[name] = clean
    if (metadata := storable(article.metadata)) != article.metadata:
        update["metadata"] = metadata
    return article.model_copy(update=update) if update else article


def _metadata_problem(article: Article) -> str | None:
    """Why the article's metadata cannot be stored as it is, or None.

    A ``url`` that does not parse (``http://[::1``) cannot give the article its source, and
    a ``source`` longer than its column (255 characters) was cut, merging outlets: the record
    is refused with the reason, like a record without a text, and the run goes on.
    """
    from propscope.store import source_problem, url_problem

    # A language field propscope does not analyse fails its record here, before the text
    # counts as seen: a later record of the same text was skipped as "repeated" and never
    # analysed nor reported.
    try:
        given_language(article)
    except UnsupportedLanguageError as exc:
        return str(exc)
    if (problem := source_problem(article.metadata)) is not None:
        return printable(problem)
    url = " ".join(article.metadata.get("url", "").split())
    problem = url_problem(url) if url else None
    if problem is None:
        return None
    shown = printable(url if len(url) <= 200 else url[:200] + "…")
    return (
        f"its url '{shown}' is not a URL ({problem}); correct the url or leave it out, then "
        "run the same command again"
    )


def count_corpus(path: Path) -> int | None:
    """How many records INPUT holds (for the progress bar's ETA); None if it cannot tell."""
    try:
        kind = corpus_kind(path)
        if kind == "directory":
            unreadable: list[OSError] = []
            return len(corpus_files(path, unreadable.append)) + len(unreadable)
        # Lines are read in bounded pieces: a file of one huge line must not fill memory
        # here either (a line over the limit is None, which stops csv with csv.Error).
        longest = 12 * MAX_CHARS
        newline = "\n" if kind == "jsonl" else ""  # a JSON Lines record ends at LF only
        with open(path, encoding="utf-8-sig", errors="replace", newline=newline) as handle:
            if kind == "jsonl":
                lines = bounded_lines(handle, longest, newline)
                return sum(1 for line in lines if line is None or line.strip())
            csv.field_size_limit(max(csv.field_size_limit(), 4 * MAX_CHARS))
            return max(0, sum(1 for _ in csv.reader(bounded_lines(handle, longest))) - 1)
    except (OSError, csv.Error, InputError):
        return None


# --- engines: Articles in, Outcomes out ------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The analysis of one article, or why there is none."""

    article: Article
    analysis: Analysis | None
    error: str | None = None


class Engine(Protocol):
    """Turns a stream of Articles into Outcomes, in any order, pulling input lazily."""

    name: str
    workers: int

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


# Under this the language guess is a hint, not a verdict (see detect_language).
UNSURE_LANGUAGE = 0.5


# The advice of an unsure language guess, for a JSON Lines or CSV record ...
_GIVE_A_LANGUAGE_FIELD = (
    "give the record a language field (en, fr, de, it, pl or ru) if the text is in one of them"
)
# ... and for a file of a folder, which has no field to give it (nor batch a --language)
_GIVE_A_FILE_ITS_LANGUAGE = (
    "a file of a folder cannot say its language: if the text is in en, fr, de, it, pl or ru, "
    "put it in a JSON Lines or CSV file with a language field and run batch on that, or "
    "analyse it alone with propscope analyze FILE --language CODE"
)


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, UnsupportedLanguageError) and unsure_guess(exc):
        return f"{exc}; the guess is unsure ({exc.confidence:.0%} sure): {_GIVE_A_LANGUAGE_FIELD}"
    if isinstance(exc, PropscopeError):
        return str(exc)
    return f"analysis failed: {type(exc).__name__}: {exc}"


def unsure_guess(exc: UnsupportedLanguageError) -> bool:
    """Whether ``analyze()`` refused a detected language it was unsure of (a short text), so
    that giving the language is worth saying; a language the caller gave is never a guess."""
    return exc.confidence is not None and exc.confidence < UNSURE_LANGUAGE


def given_language(article: Article) -> str | None:
    """The ISO code a record's own ``language`` field gives ("EN", "en-GB": en), else None.

    It is trusted as ``--language`` is: a short or mixed text is not detected as something
    else. Not one of the six analysed languages raises a one-line error naming the field.
    """
    from propscope.language import iso_code, language_code, language_name

    value = article.metadata.get("language", "").strip()
    try:
        return language_code(value)
    except UnsupportedLanguageError:
        code = iso_code(value.replace("_", "-").split("-")[0])
        name = language_name(code)
        named = f" ({name})" if name != code else ""  # "sw" (Swahili), not "xx" (xx)
        raise UnsupportedLanguageError(
            f"the record's language field is {value!r}{named}; propscope analyses en, fr, de, "
            "it, pl and ru: correct the field, or leave it out to detect the language"
        ) from None


def _analyse_one(article: Article, model: Any, threshold: float | None) -> Outcome:
    from propscope.analysis import analyze

    try:
        language = given_language(article)
        return Outcome(article, analyze(article, model, threshold=threshold, language=language))
    except Exception as exc:  # one bad article must not stop the run: record it and go on
        return Outcome(article, None, _failure_reason(exc))


def cpu_count() -> int:
    """CPU cores this process may use (the affinity mask, not the machine's total)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class InProcessEngine:
    """One worker: the model runs in this process with all its cores (no start-up cost).

    The model loads when the first article needs it, so a rerun with nothing new is instant.
    """

    name = "local"
    workers = 1

    def __init__(self, model_path: str | Path | None = None, threshold: float | None = None):
        self.model_path = model_path
        self.threshold = threshold

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        model = None
        for article in articles:
            if model is None:  # torch is imported only when there is work for it
                from propscope.models.tagger import load_model

                model = load_model(self.model_path)
            yield _analyse_one(article, model, self.threshold)

    def close(self) -> None:
        pass


# Per-process state of a LocalEngine worker, set once by its initializer (a worker process
# serves one engine, so this is the model that process was started for).
_WORKER: dict[str, Any] = {}


def _init_worker(model_path: str | None, threshold: float | None, threads: int) -> None:
    """Load the model once per worker process; threads = cores // workers (no oversubscribing)."""
    # Ctrl-C and a closed terminal's SIGHUP reach the whole process group: the parent's to
    # handle (it commits what is done and ends the workers); SIGTERM still ends a worker
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):  # no SIGHUP on Windows
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    _exit_with_parent(os.getppid())
    import torch

    from propscope.models.tagger import load_model

    torch.set_num_threads(threads)
    _WORKER["threshold"] = threshold
    try:
        _WORKER["model"] = load_model(model_path)
    except PropscopeError as exc:  # e.g. a bad --model: tell the parent, not "worker died"
        _WORKER["error"] = exc


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent dies (``kill -9`` leaves no orphans holding memory)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _analyse_in_worker(article: Article) -> tuple[Analysis | None, str | None]:
    if "error" in _WORKER:
        raise _WORKER["error"]  # re-raised in the parent by Future.result(): the run stops
    outcome = _analyse_one(article, _WORKER["model"], _WORKER["threshold"])
    return outcome.analysis, outcome.error


class LocalEngine:
    """N worker processes on this machine, each loading the model once at start-up.

    Processes are spawned, not forked: forking a parent that has started torch's thread pools
    can deadlock. At most ``2 * workers`` articles are in flight, which bounds memory and what
    a crash can lose.
    """

    name = "local"

    def __init__(
        self,
        workers: int = 2,
        model_path: str | Path | None = None,
        threshold: float | None = None,
    ) -> None:
        import multiprocessing

        self.workers = workers
        self.model_path = model_path
        self.threads = max(1, cpu_count() // workers)
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(None if model_path is None else str(model_path), threshold, self.threads),
        )

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        source = iter(articles)
        pending: dict[Future, Article] = {}
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < 2 * self.workers:
                    article = next(source, None)
                    if article is None:
                        exhausted = True
                        break
                    pending[self.pool.submit(_analyse_in_worker, article)] = article
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    article = pending.pop(future)
                    analysis, error = future.result()
                    yield Outcome(article, analysis, error)
        except BrokenProcessPool:
            raise PropscopeError(
                "a worker process died (out of memory?); what was committed is kept: run the "
                "same command again to continue, perhaps with fewer --workers"
            ) from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class RayAnalyser:
    """A Ray Data actor: holds the model, analyses batches of articles sent as JSON."""

    def __init__(self, model_path: str | None, threshold: float | None, threads: int) -> None:
        import torch

        from propscope.models.tagger import load_model

        torch.set_num_threads(threads)
        self.model = load_model(model_path)
        self.threshold = threshold

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        analyses, errors = [], []
        for payload in batch["article"]:
            try:
                article = Article.model_validate_json(payload)
            except ValueError as exc:
                analyses.append("")
                errors.append(f"article could not be sent to the worker: {exc}")
                continue
            outcome = _analyse_one(article, self.model, self.threshold)
            analyses.append(outcome.analysis.model_dump_json() if outcome.analysis else "")
            errors.append(outcome.error or "")
        return {
            "key": np.asarray(batch["key"], dtype=object),
            "analysis": np.asarray(analyses, dtype=object),
            "error": np.asarray(errors, dtype=object),
        }


class RayEngine:
    """Ray Data ``map_batches`` over a pool of ``RayAnalyser`` actors on a Ray cluster.

    The driver sends the input in chunks (``chunk`` articles per dataset, so memory stays
    bounded on any corpus size) and receives analyses as they finish. Every node needs
    propscope installed (the model ships in the package).
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        model_path: str | Path | None = None,
        threshold: float | None = None,
        *,
        threads: int = 1,
        batch_size: int = 4,
        chunk: int = 1024,
    ) -> None:
        try:
            import ray
        except ImportError:
            raise PropscopeError(
                "--engine ray needs Ray: pip install 'propscope[ray]' (on every node)"
            ) from None
        self.ray = ray
        self._owns_connection = not ray.is_initialized()
        if self._owns_connection:
            # Ray's C++ core logs routine notices to stderr, over the progress bar; failures
            # still reach us as exceptions. RAY_BACKEND_LOG_LEVEL=info brings the notices back.
            os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
            try:
                ray.init(
                    address=address,
                    logging_level="ERROR",
                    log_to_driver=False,
                    configure_logging=True,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = address or "a local Ray instance"
                raise PropscopeError(
                    f"cannot connect to Ray at {where}: {exc} (is the head running? a cluster "
                    "with token authentication needs RAY_AUTH_MODE=token and its token in "
                    "~/.ray/auth_token or RAY_AUTH_TOKEN_PATH: see docs/corpus.md)"
                ) from None
        import logging

        import ray.data

        logging.getLogger("ray.data").setLevel(logging.ERROR)  # our progress bar says it all
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.threads = threads
        self.workers = workers or max(1, cpus // threads)
        self.model_path = None if model_path is None else str(model_path)
        self.threshold = threshold
        self.batch_size = batch_size
        self.chunk = max(chunk, self.workers * batch_size)

    def analyse(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        from propscope.schema import Analysis

        source = iter(articles)
        while chunk := list(islice(source, self.chunk)):
            rows = [{"key": str(i), "article": a.model_dump_json()} for i, a in enumerate(chunk)]
            dataset = self.ray.data.from_items(
                rows, override_num_blocks=math.ceil(len(rows) / self.batch_size)
            ).map_batches(
                RayAnalyser,
                batch_size=self.batch_size,
                compute=self.ray.data.ActorPoolStrategy(
                    size=min(self.workers, math.ceil(len(rows) / self.batch_size))
                ),
                num_cpus=self.threads,
                fn_constructor_kwargs={
                    "model_path": self.model_path,
                    "threshold": self.threshold,
                    "threads": self.threads,
                },
            )
            try:
                for row in dataset.iter_rows():
                    article = chunk[int(row["key"])]
                    if row["error"]:
                        yield Outcome(article, None, str(row["error"]))
                    else:
                        yield Outcome(article, Analysis.model_validate_json(row["analysis"]))
            except self.ray.exceptions.RayError as exc:  # an actor could not start or died
                first = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
                raise PropscopeError(
                    f"the Ray job failed: {first}; what was committed is kept, run the same "
                    "command again to continue"
                ) from None

    def close(self) -> None:
        if self._owns_connection:
            self.ray.shutdown()


def make_engine(
    engine: Literal["local", "ray"] = "local",
    *,
    workers: int | None = None,
    address: str | None = None,
    model_path: str | Path | None = None,
    threshold: float | None = None,
) -> Engine:
    """The engine a ``batch`` command asks for; ``workers=None`` means one per core."""
    if engine == "ray":
        return RayEngine(address, workers, model_path, threshold)
    if address is not None:
        raise InputError("--address is for --engine ray; the local engine needs none")
    workers = workers or cpu_count()
    if workers == 1:
        return InProcessEngine(model_path, threshold)
    return LocalEngine(workers, model_path, threshold)


# --- the model a run analyses with ----------------------------------------------------------


@dataclass(frozen=True)
class ActiveModel:
    """The span model a run analyses with, as the store records it: its name and the version
    analyze() gives an article it analyses (the store's ``model_version``; the name is in
    the stored analysis's ``model``), and the languages it analyses: English, and each
    language the model has its own settings for. Articles in other languages are analysed
    by the shipped multilingual model or the paragraph classifier whatever the model is, so
    their model is not compared."""

    path: Path
    version: str
    languages: frozenset[str]
    name: str | None = None

    def replaced_by_this(self, stored: tuple[str, ...]) -> bool:
        """Whether a stored article (its model version, language and, when known, model
        name) was analysed by another model than the one this run analyses its language
        with: another version, or another model of the same version (the shipped English
        and multilingual models are both 0.1.0)."""
        version, language, *rest = stored
        name = rest[0] if rest else None
        if language not in self.languages:
            return False
        return version != self.version or (None not in (name, self.name) and name != self.name)

    def identity(self, stored: tuple[str, ...]) -> str:
        """How the summary names a stored article's model: its version, and its name too
        when that is what differs from this run's model."""
        version, _, *rest = stored
        name = rest[0] if rest else None
        return f"{name} {version}" if name and self.name and name != self.name else version


def active_model(model_path: str | Path | None) -> ActiveModel | None:
    """The model ``--model`` (else ``$PROPSCOPE_MODEL``, else the shipped one) names, read
    from its ``propscope.json`` without loading it (torch takes seconds to import: a rerun
    with nothing new stays instant); None when that file cannot be read (the engine says
    why, when it loads the model). The path is chosen by the engine's rule
    (`propscope.models.paths.model_path`, which imports no torch)."""
    import json

    from propscope.models.paths import model_path as chosen_path

    path = chosen_path(model_path)
    try:
        meta = json.loads((path / "propscope.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    languages = meta.get("languages")
    return ActiveModel(
        path,
        str(meta.get("version", "0"))[:64],  # as the store keeps it
        frozenset({"en", *(languages if isinstance(languages, dict) else ())}),
        str(meta.get("name", "propscope-span-tagger")),  # as analyze() names it
    )


# --- the run -------------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """What a run did: ``skipped`` counts articles already stored or repeated in the input,
    and those another live run on the same database was analysing (also ``elsewhere``);
    ``other_versions`` counts, by version, the skipped stored articles that another version
    of the run's model analysed (``reanalyse`` analyses them again), and ``reanalysed`` the
    analysed ones whose stored findings were replaced."""

    analysed: int = 0
    skipped: int = 0
    elsewhere: int = 0
    reanalysed: int = 0
    other_versions: dict[str, int] = field(default_factory=dict)
    model_version: str | None = None  # of the run's model, when its propscope.json was read
    failures: list[tuple[str, str]] = field(default_factory=list)  # (key, reason)
    # stored undated: (article, the published value that could not be read as a date, was a
    # placeholder or lay in the future); the article is "name (field)" when the value came
    # from another date field than ``published`` (``date``, ``published_at``, ...)
    undated: list[tuple[str, str]] = field(default_factory=list)
    # analysed in the language its record's ``language`` field gives, though a sure
    # detection says another: (article, given code, detected code); the summary warns
    mislabelled: list[tuple[str, str, str]] = field(default_factory=list)
    # skipped (or analysed again) with metadata other than its text's stored article has,
    # which is kept: (article, the fields that differ; empty for a repeat of a text read
    # before in this run, whose fields are not kept); see kept_metadata_warning
    kept_metadata: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    # the signal that interrupted the run, where SIGTERM or SIGHUP did (None: Ctrl-C)
    stopped_by: int | None = None
    # why INPUT could not be read to its end (the records after that point were not read)
    stopped: str | None = None

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def rate(self) -> float:
        """Articles analysed per second of wall time."""
        return self.analysed / self.seconds if self.seconds > 0 else 0.0


# How the warning names a repeat of a text read before in the run (its fields are not kept)
_REPEAT = "other fields than the first record of its text"


def kept_metadata_warning(summary: BatchSummary, shown: int = 5) -> str | None:
    """The summary's line about records whose text is stored with other metadata (None when
    there are none): the text is the key, so their fields were not stored, and a rerun with
    corrected ones said only "skipped". Names the first ``shown`` and the fields that differ.
    """
    kept = getattr(summary, "kept_metadata", None)  # getattr: stand-ins in tests
    if not kept:
        return None

    def named(name: str, fields: tuple[str, ...]) -> str:
        differ = ", ".join(printable(f) for f in fields) if fields else _REPEAT
        return f"{printable(name)} ({differ})"

    listed = ", ".join(named(name, fields) for name, fields in kept[:shown])
    more = f" and {len(kept) - shown} more" if len(kept) > shown else ""
    one = len(kept) == 1
    return (
        f"  warning: {len(kept)} record{'' if one else 's'} of {'a text' if one else 'texts'} "
        f"already stored {'carries' if one else 'carry'} other metadata than stored, which was "
        "not updated (an article keeps the metadata it was first stored with): "
        f"{listed}{more}; to store the new metadata, delete "
        f'{"that article" if one else "those articles"} and run again (see "Correcting '
        'metadata" in docs/corpus.md)'
    )


def run_batch(
    path: Path,
    store: Store,
    engine: Engine,
    *,
    limit: int | None = None,
    max_chars: int = MAX_CHARS,
    commit_every: int = COMMIT_EVERY,
    commit_seconds: float = COMMIT_SECONDS,
    on_tick: Callable[[Tick], None] | None = None,
    reanalyse: bool = False,
) -> BatchSummary:
    """Analyse the first ``limit`` articles of ``path`` (all by default) into ``store``.

    Analyses are committed in transactions of at most ``commit_every`` articles, and at least
    every ``commit_seconds`` while results arrive. Whatever stops the run (Ctrl-C, a worker
    crash), the analyses already received are committed before it ends. Each article is
    claimed in the store before it is analysed: concurrent runs share the work.

    A stored article is skipped; one that another version of the engine's model analysed
    (`ActiveModel`) is counted in ``other_versions``, or with ``reanalyse`` analysed again
    and its findings replaced (`Store.replace_analyses`: its id, metadata and dates kept).
    """
    from collections import Counter

    from propscope.store import metadata_changes, metadata_fingerprint, unreadable_date_field

    kind = corpus_kind(path)
    active = active_model(engine.model_path) if hasattr(engine, "model_path") else None
    if reanalyse and active is None:
        raise PropscopeError(
            "cannot tell which stored articles another model version analysed: the model's "
            "propscope.json cannot be read (check --model or $PROPSCOPE_MODEL)"
        )
    summary = BatchSummary(model_version=active.version if active else None)
    other_versions: Counter[str] = Counter()
    replacing: set[str] = set()  # content hashes of stored articles being analysed again
    run = store.begin_run()
    tick = on_tick or (lambda _: None)
    seen: dict[str, int] = {}  # content hash -> metadata_fingerprint of its first record
    started = time.monotonic()

    def fail(
        key: str,
        source: str | None,
        reason: str,
        article: Article | None = None,
        record: str | None = None,
    ) -> None:
        """Record a failure under ``key`` (a location, or a content hash for an article that
        was read); an article's failure is stored with its id and location, and the summary
        names it by them (a content hash tells the user nothing)."""
        if article is None:  # a read failure: its key says where (file.jsonl:LINE, a file)
            store.record_failure(key, source, reason, record=record, location=key)
            summary.failures.append((key, reason))
        else:
            store.record_failure(key, source, reason, record=article.id, location=location(article))
            summary.failures.append((where(article), reason))
        tick("failed")

    records = printable(str(path))

    def location(article: Article) -> str:
        """The file an article that was read came from: its own in a folder, else the JSON
        Lines or CSV file (its line is not known once it is read)."""
        if kind == "directory" and article.source:
            return article.source
        return records

    def where(article: Article) -> str:
        """Where an article that was read is, as a read failure names it: its file in a
        folder, else the record's id in its JSONL or CSV file."""
        if kind == "directory" and article.source:
            return article.source
        shown = article.id if len(article.id) <= 100 else article.id[:100] + "…"
        return f"{records} record '{printable(shown)}'"

    def named(article: Article) -> str:
        """How the summary's warnings name an article: its file in a folder, else its id."""
        return article.source if kind == "directory" and article.source else article.id

    def skip(elsewhere: bool = False) -> None:
        summary.skipped += 1
        summary.elsewhere += elsewhere
        tick("skipped")

    def compare_metadata(article: Article, stored: dict[str, Any] | None) -> None:
        """Note a record whose metadata is not what its text's stored article keeps: a rerun
        with corrected fields (source, published) updates nothing, and said only "skipped"."""
        if stored is not None and (changed := metadata_changes(article.metadata, stored)):
            summary.kept_metadata.append((named(article), tuple(changed)))

    def to_analyse() -> Iterator[Article]:
        for item in islice(iter_corpus(path, max_chars=max_chars), limit):
            if isinstance(item, ReadFailure):
                fail(item.key, item.source, item.reason, record=item.record)
                if item.stops:
                    summary.stopped = item.reason
                continue
            item = _cleaned(item)
            key = store.content_hash(item.text)
            if (problem := _metadata_problem(item)) is not None:
                fail(key, item.source, problem, item)
                continue
            if key in seen:
                if seen[key] != metadata_fingerprint(item.metadata):
                    summary.kept_metadata.append((named(item), ()))
                skip()
                continue
            found = store.stored_with_metadata(key)
            stored, stored_metadata = found if found is not None else (None, None)
            older = stored is not None and active is not None and active.replaced_by_this(stored)
            if older and active.identity(stored) != stored[0]:  # another model, not version
                summary.model_version = f"{active.name} {active.version}"
            if stored is not None:  # skipped, or analysed again: its metadata is kept
                compare_metadata(item, stored_metadata)
            if stored is not None and not older:
                skip()
                continue
            seen[key] = metadata_fingerprint(item.metadata)
            if stored is not None and not reanalyse:  # analysed by another model version
                other_versions[active.identity(stored)] += 1
                skip()
                continue
            if not run.claim(key):  # another live run is analysing it
                skip(elsewhere=True)
                continue
            # stored (or analysed again) by another run between the look-up and the claim
            now = store.stored_model(key)
            if now is not None and (stored is None or not active.replaced_by_this(now)):
                run.release(key)
                skip()
                continue
            if now is not None:
                replacing.add(key)
            yield item

    buffer: list[tuple[Article, Analysis, dict]] = []
    last_commit = time.monotonic()

    def note_stored(article: Article, analysis: Analysis) -> None:
        """Note what the summary warns of in a stored article: a date its record gives that
        was not kept, and a given language a sure detection contradicts."""
        from propscope.language import given_language_contradicted

        name = named(article)
        if (given := unreadable_date_field(article.metadata)) is not None:
            field, value = given
            # the field is named unless it is "published", which the warning names itself
            summary.undated.append((name if field == "published" else f"{name} ({field})", value))
        if (guess := given_language_contradicted(analysis)) is not None and analysis.language:
            summary.mislabelled.append((name, analysis.language.code, guess.code))

    def store_items(items: list[tuple[Article, Analysis, dict]]) -> int:
        """Store new articles and replace the analyses of those analysed again (each kind in
        one transaction that releases its claims); how many are stored."""
        keys = [store.content_hash(article.text) for article, _, _ in items]
        new = [i for i, key in zip(items, keys, strict=True) if key not in replacing]
        again = [(a, b) for (a, b, _), key in zip(items, keys, strict=True) if key in replacing]
        if new:
            store.add_many(new, run=run)  # stores and releases the claims at once
        replaced = len(store.replace_analyses(again, run=run)) if again else 0
        replacing.difference_update(keys)
        summary.reanalysed += replaced
        return len(new) + replaced

    def commit() -> None:
        nonlocal last_commit
        if buffer:
            try:
                stored = store_items(buffer)
                for article, analysis, _ in buffer:
                    note_stored(article, analysis)
            except (ValueError, TypeError):
                # An article the store refuses must not take the others of its transaction
                # with it, nor stop the run (every rerun would stop at it): each on its own.
                stored = sum(store_alone(item) for item in buffer)
            summary.analysed += stored
            for _ in range(stored):
                tick("analysed")
            buffer.clear()
        last_commit = time.monotonic()

    def store_alone(item: tuple[Article, Analysis, dict]) -> bool:
        try:
            if not store_items([item]):  # analysed again, but deleted meanwhile
                return False
            note_stored(item[0], item[1])
            return True
        except (ValueError, TypeError) as exc:
            article = item[0]
            key = store.content_hash(article.text)
            reason = f"the analysis cannot be stored: {type(exc).__name__}: {exc}"
            fail(key, article.source, reason, article)
            run.release(key)
            return False

    input_name = printable(str(path) if kind == "directory" else path.name)
    try:
        for outcome in engine.analyse(to_analyse()):
            if outcome.analysis is None:
                key = store.content_hash(outcome.article.text)
                reason = outcome.error or "analysis failed"
                if kind == "directory":  # advice a folder's user can follow
                    reason = reason.replace(_GIVE_A_LANGUAGE_FIELD, _GIVE_A_FILE_ITS_LANGUAGE)
                fail(key, outcome.article.source, reason, outcome.article)
                run.release(key)
                continue
            buffer.append((outcome.article, outcome.analysis, {"batch_input": input_name}))
            if len(buffer) >= commit_every or time.monotonic() - last_commit >= commit_seconds:
                commit()
        commit()
    except KeyboardInterrupt as exc:  # Ctrl-C; the CLI raises SIGTERM and SIGHUP as one too
        summary.interrupted = True
        summary.stopped_by = getattr(exc, "signum", None)
        commit()
    except PropscopeError:  # e.g. a worker died: keep what was analysed before it did
        commit()
        raise
    finally:
        run.close()  # after the last commit: what was claimed and not stored is free again
        summary.other_versions = dict(other_versions.most_common())
    summary.seconds = time.monotonic() - started
    return summary
