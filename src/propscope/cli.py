"""The ``propscope`` command: a thin typer skin over ``analyze()`` and friends.

Every command turns a ``PropscopeError`` into one line on stderr and exit code 2, and
writes an output file only when everything succeeded (write to a temp file, then rename).
"""

from __future__ import annotations

import errno
import functools
import inspect
import io
import json
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from propscope.errors import FormatError, InputError, PropscopeError, UnsupportedLanguageError
from propscope.io.files import (
    atomic_write_text,
    check_output_file,
    is_folder,
    shortened,
)

if TYPE_CHECKING:
    from propscope.store import Store

app = typer.Typer(
    help="Find, explain and count persuasion techniques in news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    si = "si"
    flc = "flc"
    st1 = "st1"
    st2 = "st2"
    st3 = "st3"


class TaxonomyName(StrEnum):
    semeval2023 = "semeval2023"
    ptc14 = "ptc14"


class SensitivityName(StrEnum):
    strict = "strict"
    balanced = "balanced"
    high = "high"


class Task(StrEnum):
    si = "si"
    tc = "tc"
    flc = "flc"
    st1 = "st1"
    st2 = "st2"
    st3 = "st3"


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread as Ctrl-C raises KeyboardInterrupt, so
    that the same cleanup runs (temporary files, staging folders, batch's last commit): the
    default action ended the process on the spot and left them behind."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process the signal ended."""
        return 128 + self.signum


# The signals turned into Terminated while a command runs (SIGINT is KeyboardInterrupt already)
_TERMINATING = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def _terminate(signum: int, _frame) -> None:
    raise Terminated(signum)


@contextmanager
def _terminating_signals_raise() -> Iterator[None]:
    """Make SIGTERM and SIGHUP raise `Terminated` while a command runs, then put the earlier
    handlers back (commands also run inside tests). A signal ignored when propscope started
    (SIGHUP under nohup) stays ignored; only the main thread can set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    earlier = {}
    for signum in _TERMINATING:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            earlier[signum] = signal.signal(signum, _terminate)
    try:
        yield
    finally:
        for signum, handler in earlier.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def interrupted_exit_code(exc: KeyboardInterrupt) -> int:
    """130 after Ctrl-C, 128 + the signal's number after SIGTERM (143) or SIGHUP (129)."""
    return exc.exit_code if isinstance(exc, Terminated) else 130


def _say_interrupted(exc: KeyboardInterrupt, what: str) -> None:
    """The line after an interruption; the terminal may be gone (SIGHUP), and then the
    exit code alone tells."""
    why = "interrupted"
    if isinstance(exc, Terminated):
        why = f"stopped by {signal.Signals(exc.signum).name}"
    try:
        err.print(f"propscope: {why}; {what}", markup=False, soft_wrap=True)
    except (OSError, ValueError):
        pass


def handle_errors(command):
    """Print a PropscopeError as one line and exit 2; never show a traceback for bad input.
    Ctrl-C, SIGTERM and SIGHUP end the command through the same cleanup (exit 130, 143,
    129)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with _terminating_signals_raise():
                return command(*args, **kwargs)
        except PropscopeError as exc:
            store = sys.modules.get("propscope.store")  # loaded if a database was read
            if store is not None and isinstance(exc, store.StoreUnavailable):
                exc = store.StoreUnavailable(
                    f"{exc}; if it was damaged, restore it from a backup, or give another --db"
                )
            print_error(exc)
            raise typer.Exit(2) from None
        except KeyboardInterrupt as exc:
            _say_interrupted(exc, "nothing was written")
            raise typer.Exit(interrupted_exit_code(exc)) from None
        except Exception as exc:
            damaged = _unreadable_database(exc) or _out_of_resources(exc) or _unusable_path(exc)
            if damaged is None:
                raise
            print_error(damaged)
            raise typer.Exit(2) from None

    return wrapper


# What to do when the machine runs out of something a command needs, by errno
_RESOURCE_ADVICE = {
    errno.EMFILE: "raise the limit of open files (ulimit -n) or use fewer --workers",
    errno.ENFILE: "close other programs, or use fewer --workers",
    errno.ENOSPC: "free some disk space and run the command again",
    errno.EDQUOT: "free some of your disk quota and run the command again",
    errno.ENOMEM: "close other programs, or use fewer --workers",
}


def _out_of_resources(exc: Exception) -> PropscopeError | None:
    """An OSError for open files, memory or disk space the machine ran out of (say, while
    starting batch's workers), as one line; else None."""
    from propscope.errors import ResourceError

    if not isinstance(exc, OSError) or exc.errno not in _RESOURCE_ADVICE:
        return None
    return ResourceError(f"{os.strerror(exc.errno).lower()}; {_RESOURCE_ADVICE[exc.errno]}")


def _unusable_path(exc: Exception) -> PropscopeError | None:
    """An OSError for a path the OS cannot even look up (a name too long for the file system,
    a loop of links) wherever it is first met, as one line; else None."""
    if not isinstance(exc, OSError) or exc.errno not in (errno.ENAMETOOLONG, errno.ELOOP):
        return None
    where = f"'{shortened(exc.filename)}': " if exc.filename is not None else ""
    return PropscopeError(f"{where}{os.strerror(exc.errno).lower()}; check the path")


def _unreadable_database(exc: Exception) -> PropscopeError | None:
    """A database error, or a stored value that is not what propscope wrote (a table dropped,
    an analysis that is not JSON), as one line instead of a traceback; else None."""
    from propscope.errors import StoreError

    if type(exc).__module__.startswith("sqlalchemy"):
        from sqlalchemy.exc import DatabaseError

        if not isinstance(exc, DatabaseError):
            return None
        detail = str(exc.orig if exc.orig is not None else exc).splitlines()[0]
    elif isinstance(exc, ValueError) and any(
        "/sqlalchemy/" in frame.filename for frame in traceback.extract_tb(exc.__traceback__)
    ):  # the database returned a value its column type cannot read
        detail = f"a stored value cannot be read: {str(exc).splitlines()[0]}"
    else:
        return None
    return StoreError(
        f"the database cannot be read ({detail}); if it was damaged, restore it from a backup, "
        "or give another --db"
    )


def print_error(exc: Exception) -> None:
    """The one line on stderr that names a problem (a line break or a byte that is not UTF-8
    in a file name is shown escaped, so that it stays one line)."""
    from propscope.io.readers import printable

    err.print(
        f"[bold red]propscope: error:[/bold red] {escape(printable(_for_the_cli(str(exc))))}",
        highlight=False,
        soft_wrap=True,
    )


def write_output(content: str, output: Path | None) -> None:
    """Print to stdout, or write the file atomically (no half-written file on failure)."""
    if output is None:
        try:
            sys.stdout.write(content)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped (`| head`): click ends quietly
            raise
        # `> /dev/full`, a file size limit, PYTHONIOENCODING=ascii: one line, not a traceback
        except (OSError, UnicodeEncodeError) as exc:
            from propscope.views import stdout_error

            raise stdout_error(exc) from None
        return
    atomic_write_text(output, content)


STDOUT = Path("-")  # `-o -`: standard output, as for INPUT


def output_path(given: str) -> Path:
    """The ``--output`` file named by ``given``, as typed.

    A name that ends in a slash, ``.`` or ``..`` ("reports/") names a folder, which a file
    cannot be written as. The option is read as a string for this: a Path drops the trailing
    slash, and ``-o reports/`` wrote a file named ``reports``.
    """
    if not given:  # Path("") is the current folder: "--output '.' is a directory"
        raise PropscopeError("--output is empty; give a file name")
    last = given.replace(os.altsep or os.sep, os.sep).rsplit(os.sep, 1)[-1]
    if last in ("", ".", ".."):
        raise PropscopeError(f"--output '{given}' names a folder; give a file name")
    return Path(given)


def folder_output(given: str) -> Path:
    """The ``--output`` folder named by ``given``: an empty one is refused (read as a Path,
    it was the current folder, and the files went there)."""
    if not given:
        raise PropscopeError("--output is empty; give a folder name")
    return Path(given)


def file_or_stdout(given: str | None) -> Path | None:
    """``None`` (standard output) for no ``--output`` or ``-o -``, else the output file."""
    if given is None:
        return None
    output = output_path(given)
    return None if output == STDOUT else output


# --output of the commands that write one file (a string: see output_path)
OutputFileOption = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="PATH", help="Write here instead of stdout."),
]


def refuse_stdout(output: Path | None, writes: str, give: str) -> None:
    """A command that writes several files (or a folder) cannot write them to ``-o -``."""
    if output == STDOUT:
        raise PropscopeError(f"--output - (standard output) cannot take {writes}; give {give}")


def _same_path(a: Path, b: Path) -> bool:
    """Whether two paths name one file: by inode when both exist (links, hard links),
    else by their resolved names."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.expanduser().resolve() == b.expanduser().resolve()
    except (OSError, RuntimeError):  # unreadable, or a link loop: opening it reports why
        return False


def _inside_folder(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies in ``folder`` or a folder below it, where a run over the folder
    reads articles (links resolved)."""
    parent = path.expanduser().parent
    if _same_path(parent, folder):
        return True
    try:
        return parent.resolve().is_relative_to(folder.expanduser().resolve())
    except (OSError, RuntimeError):  # a link loop: opening the output reports it
        return False


def refuse_overwriting(
    output: Path | None,
    *,
    files: Iterable[Path] = (),
    folders: Iterable[Path] = (),
    db: str | None = None,
) -> None:
    """Refuse an ``--output`` that would replace what the command reads: an input file, an
    article file of an input folder (now or on the next run), or the SQLite database (with its
    journal files). Checked before anything is opened, so that nothing is written."""
    if output is None or output == STDOUT:
        return
    for path in files:
        if _same_path(output, path):
            raise PropscopeError(
                f"the output '{output}' is also the input '{path}'; choose another --output"
            )
    from propscope.io.readers import is_article_name

    # the output as named, and the file it writes if it is a link ("s.txt" -> "in/fr.txt"
    # replaced an article of the input folder, even one the link names before it exists)
    targets = [output]
    try:
        targets.append(output.expanduser().resolve())
    except (OSError, RuntimeError):  # a link loop: opening the output reports it
        pass
    for folder in folders:
        if any(is_article_name(t.name) and _inside_folder(t, folder) for t in targets):
            raise PropscopeError(
                f"the output '{output}' is in the input folder '{folder}', where it would be read "
                "as an article; choose another --output"
            )
    database = _sqlite_file(db)
    if database is not None:
        for path in (database, *(Path(f"{database}{end}") for end in ("-wal", "-shm", "-journal"))):
            if _same_path(output, path):
                raise PropscopeError(
                    f"the output '{output}' is also the database '{database}'; choose another "
                    "--output"
                )


def _sqlite_file(db: str | None) -> Path | None:
    """The file of a SQLite database URL or path (the default one included), else None."""
    from sqlalchemy.exc import ArgumentError

    from propscope.store import db_url

    try:
        url = db_url(db)
    except (ArgumentError, ValueError):  # the store reports it when it opens the database
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def existing_store(db: str | None) -> Store:
    """The store of a command that only reads one (stats, export, report): a SQLite file that
    does not exist is refused, not created (a mistyped --db made an empty database, and the
    command reported on it and exited 0), and so is a database without propscope's tables."""
    from propscope.store import NotAStore, Store, StoreError, StoreUpgradeNeeded, UnreadLog

    database = _sqlite_file(db)
    if database is not None and not str(database).startswith("file:"):
        try:
            database.stat()
        except (FileNotFoundError, NotADirectoryError):
            shown = db if db and "://" not in db else database
            raise StoreError(
                f"no database at '{shown}'; run propscope batch first, or give another --db"
            ) from None
        except OSError:  # unreadable: opening it says why
            pass
    try:
        # create=False: a database without propscope's tables (another program's, an empty
        # file) is refused, not given them; a store of an older schema is still upgraded.
        return Store(db, create=False)
    except NotAStore:
        raise
    except StoreError as exc:
        if database is None:
            raise
        # A file on read-only storage (file, folder or mount) fails the upgrade check's lock
        # and the switch to WAL: read it without writing, which works at the current schema.
        try:
            return Store(db, read_only=True)
        except StoreUpgradeNeeded:
            if not _READ_ONLY_FAILURE.search(str(exc)):
                raise exc from None  # the upgrade failed for its own reason: a full disk
            raise
        except UnreadLog:
            raise
        except StoreError:
            raise exc from None


# SQLite's words for a file it may not write (SQLITE_READONLY, or SQLITE_CANTOPEN for a
# -wal/-shm it cannot create), as opposed to "database or disk is full", "database is locked"
_READ_ONLY_FAILURE = re.compile(r"readonly|read-only|unable to open database file")


def _for_the_cli(message: str) -> str:
    """Readers speak to Python callers: their advice names the command line's own switches
    (or none, where the command line has no switch for it)."""
    return message.replace(
        "pass allow_private=True to allow local and private hosts",
        "propscope analyze --allow-private-urls fetches local and private hosts",
    ).replace("split it into articles or raise max_chars", "split it into articles")


# --model of analyze, label-spans, batch and serve: a directory, or a shipped model's name.
ModelOption = Annotated[
    Path | None,
    typer.Option(
        help="A model directory, or a shipped model: english (the default) or "
        "multilingual (e5 for English too: about half the speed, more findings)."
    ),
]


def _rows_text(writer, rows) -> str:
    buffer = io.StringIO()
    writer(rows, buffer)
    return buffer.getvalue()


def plain_report_width(default: int = 110) -> int:
    """The width of a text report that goes to a file or a pipe (a terminal's report is as
    wide as the terminal): COLUMNS when it is a whole number from 1 to 10,000, as in
    ``COLUMNS=80 propscope analyze x.txt | less``, else ``default`` (any other COLUMNS is
    ignored)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if re.fullmatch(r"[0-9]{1,5}", columns) and 1 <= int(columns) <= 10_000:
        return int(columns)
    return default


def render(
    analyses,
    fmt: OutputFormat,
    scheme: TaxonomyName,
    to_terminal: bool,
    *,
    several: bool | None = None,
) -> str:
    """One output document for all analyses, in the requested format.

    ``several``: the user asked for several articles (JSON: an array even when only one
    could be analysed, so a consumer's parsing does not depend on which inputs failed);
    None decides by the number of analyses."""
    from propscope.io import formats, submission

    if fmt is OutputFormat.json:
        items = [a.model_dump(mode="json") for a in analyses]
        array = len(items) != 1 if several is None else several
        return json.dumps(items if array else items[0], ensure_ascii=False, indent=2) + "\n"
    if fmt is OutputFormat.html:
        from propscope.report.html import render_html

        return render_html(analyses)
    if fmt is OutputFormat.si:
        return _rows_text(formats.write_si, submission.si_rows(analyses))
    if fmt is OutputFormat.flc:
        return _rows_text(formats.write_flc, submission.flc_rows(analyses, scheme.value))
    if fmt is OutputFormat.st1:
        return _rows_text(formats.write_st1, submission.st1_rows(analyses))
    if fmt is OutputFormat.st2:
        return _rows_text(formats.write_st2, submission.st2_rows(analyses))
    if fmt is OutputFormat.st3:
        return _rows_text(formats.write_st3, submission.st3_rows(analyses))
    from propscope.report.terminal import render_terminal

    buffer = io.StringIO()
    # A terminal that shows no colours (TERM=dumb: an editor's shell, a CI log) gets the
    # report of a pipe, bracket markers and no escape codes.
    colour = to_terminal and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")
    console = Console(
        file=buffer,
        width=None if to_terminal else plain_report_width(),
        force_terminal=to_terminal,
        color_system="truecolor" if colour else None,
    )
    render_terminal(analyses, console)
    # what the console rendered, not a recording: export_text keeps the colours NO_COLOR
    # asks to leave out (bold and underline stay)
    return buffer.getvalue()


@app.command()
@handle_errors
def analyze(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Article files, folders of article files, http(s) URLs, or - for stdin."
        ),
    ],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.text
    ),
    output: OutputFileOption = None,
    scheme: Annotated[
        TaxonomyName,
        typer.Option(
            "--taxonomy",
            help="Label scheme of flc output: ptc14, the 14 SemEval-2020 labels (Obfuscation "
            "findings have none and are left out of flc, while si keeps every finding; Appeal "
            "to values, Appeal to time, Consequential oversimplification and Questioning the "
            "reputation are written as Flag-Waving, Slogans, Causal_Oversimplification and "
            "Doubt: assumed, PTC never annotated them), or semeval2023, the 23 techniques.",
        ),
    ] = TaxonomyName.ptc14,
    sensitivity: Annotated[
        SensitivityName,
        typer.Option(help="strict: fewer, surer findings; high: find more, with more noise."),
    ] = SensitivityName.balanced,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Detection threshold; overrides --sensitivity."),
    ] = None,
    model: ModelOption = None,
    language: Annotated[
        str | None,
        typer.Option(
            help="Skip detection: en, fr, de, it, pl or ru (e.g. for short texts; en-GB is "
            "en); a sure detection of another language is warned of on stderr."
        ),
    ] = None,
    fail_fast: Annotated[
        bool,
        typer.Option(
            "--fail-fast", help="Stop at the first bad input (default: report it, go on, exit 2)."
        ),
    ] = False,
    allow_private_urls: Annotated[
        bool,
        typer.Option(help="Also fetch URLs of loopback, private and link-local addresses."),
    ] = False,
) -> None:
    """Analyse articles and report where and how they persuade.

    Like grep, a bad input (unreadable, empty, too large, unsupported language) is reported
    on stderr, every good one is analysed and written, and the exit code is then 2.
    """
    from propscope.errors import UnsupportedLanguageError
    from propscope.io.readers import is_url, read_inputs

    output = file_or_stdout(output)
    # the inputs read as paths: not stdin, nor a URL (told apart as read_path does)
    paths = [Path(s) for s in inputs if s != "-" and not is_url(s)]
    # is_folder: a bad path (a name too long) is reported below with the other bad inputs
    refuse_overwriting(output, files=paths, folders=[p for p in paths if is_folder(p)])
    check_output_file(output)
    if language is not None:
        language = _check_language(language)
    bad: list[str] = []

    def report_bad(where: str, exc: InputError) -> None:
        print_error(exc)
        if fail_fast:
            raise typer.Exit(2)
        bad.append(where)

    # The SemEval formats name an article by its id alone; the reports show its source too,
    # so bbc/2024-03-05.txt and rt/2024-03-05.txt may both be analysed, as batch does.
    semeval = fmt not in (OutputFormat.text, OutputFormat.json, OutputFormat.html)
    articles = read_inputs(
        inputs, allow_private=allow_private_urls, on_error=report_bad, unique_ids=semeval
    )
    if semeval:
        articles = _with_submission_ids(articles, report_bad)
    if not articles:
        raise typer.Exit(2)  # every input was bad, and each has had its line
    from propscope.analysis import analyze as analyze_article  # slow imports: after reading
    from propscope.models.tagger import load_model

    tagger = load_model(model)
    # Only on a terminal: elsewhere the bar draws nothing but still ends with a newline, and
    # a successful run must leave a redirected stderr empty.
    if len(articles) > 1 and err.is_interactive:
        from rich.progress import track

        articles_iter = track(articles, description="Analysing", console=err, transient=True)
    else:
        articles_iter = articles
    analyses = []
    for article in articles_iter:
        try:
            analysis = analyze_article(
                article,
                tagger,
                threshold=threshold,
                sensitivity=sensitivity.value,
                language=language,
            )
        except UnsupportedLanguageError as exc:
            where = article.source or article.id
            report_bad(where, _language_refusal(where, exc))
        except InputError as exc:
            report_bad(article.source or article.id, exc)
        else:
            analyses.append(analysis)
            if language is not None:
                _warn_contradicted_language(article.source or article.id, analysis)
    if analyses:
        to_terminal = output is None and sys.stdout.isatty()
        # Several inputs named (a folder is several) give a JSON array, whatever failed.
        several = len(inputs) > 1 or any(is_folder(p) for p in paths)
        write_output(render(analyses, fmt, scheme, to_terminal, several=several), output)
    if bad or not analyses:
        raise typer.Exit(2)


def _warn_contradicted_language(where: str, analysis) -> None:
    """One line on stderr when --language contradicts a sure detection (the analysis
    stands; see `analysis.given_language_warning`)."""
    from propscope.analysis import given_language_warning
    from propscope.io.readers import printable

    message = given_language_warning(analysis, "--language")
    if message is not None:
        err.print(
            f"[yellow]propscope: warning:[/yellow] {escape(printable(f'{where}: {message}'))}",
            highlight=False,
            soft_wrap=True,
        )


def _with_submission_ids(articles: list, report_bad) -> list:
    """The articles whose ids a SemEval file can hold; each other one is reported before the
    analysis (a file "article 5 (copy).txt" failed the whole output after all were analysed)."""
    from propscope.io.formats import id_cell

    kept = []
    for article in articles:
        try:
            id_cell(article.id)
        except FormatError as exc:
            report_bad(article.source or article.id, exc)
        else:
            kept.append(article)
    return kept


def _check_language(language: str) -> str:
    """The ISO code of ``--language`` (``EN``, ``en-GB``: en), as batch reads a record's
    field; an unsupported one is refused before anything is read or loaded."""
    from propscope.language import ANALYSED, language_code

    try:
        code = language_code(language)
    except UnsupportedLanguageError:
        code = None
    if code is None:  # not analysed, or blank
        raise UnsupportedLanguageError(
            f"unsupported --language {language}; choose one of {', '.join(ANALYSED)}"
        )
    return code


def _language_refusal(where: str, exc: UnsupportedLanguageError) -> Exception:
    """The refusal of a detected language, naming the input; when the guess it rests on is
    unsure (a short text), it says that --language overrides it.

    The guess is the one analyze() refused (``exc.confidence``), made on the article's own
    words: detecting the whole text again, share lines and all, judged another guess.
    """
    message = str(exc)
    for said in ("the text is in", "text is in"):
        if said in message:
            message = message.replace(said, f"'{where}' is in", 1)
            break
    else:
        message = f"'{where}': {message}"
    from propscope.batch import unsure_guess

    if unsure_guess(exc):
        message += (
            f"; the guess is unsure ({exc.confidence:.0%} sure): give --language if the text "
            "is in one of them"
        )
    return UnsupportedLanguageError(message, exc.confidence)


@app.command("label-spans")
@handle_errors
def label_spans_command(
    template: Annotated[
        Path, typer.Argument(help="TC template: article_id<TAB>?<TAB>start<TAB>end")
    ],
    articles: Annotated[Path, typer.Option(help="Folder with the article{ID}.txt files.")],
    scheme: Annotated[TaxonomyName, typer.Option("--taxonomy")] = TaxonomyName.ptc14,
    output: OutputFileOption = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="One model (a directory, english or multilingual) instead of the default: "
            "for English articles the english and multilingual taggers' probabilities "
            "averaged (more accurate, about 3x slower), for the other languages the "
            "multilingual tagger."
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            help="The articles' language (en, fr, de, it, pl or ru), which picks the default "
            "taggers; detected per article when not given."
        ),
    ] = None,
) -> None:
    """Technique classification (SemEval-2020 TC): label each span of a template."""
    from propscope.analysis import label_spans
    from propscope.io.formats import read_flc, write_flc
    from propscope.models.tagger import load_model

    code = _check_language(language) if language is not None else None
    output = file_or_stdout(output)
    refuse_overwriting(output, files=[template, articles], folders=[articles])
    check_output_file(output)
    rows = read_flc(template)
    if not rows:
        raise InputError(
            f"template {template} has no rows; give the TC template "
            "(article_id<TAB>?<TAB>start<TAB>end)"
        )
    texts = _template_articles(articles, {row.article_id for row in rows})
    labelled = label_spans(
        rows, texts, load_model(model) if model else None, scheme.value, language=code
    )
    write_output(_rows_text(write_flc, labelled), output)


def _template_articles(folder: Path, wanted: set[str]) -> dict[str, str]:
    """The texts of the template's articles in ``folder``, by id.

    A file the template does not name may be unreadable. One it names must be readable and
    found once: two files with one id (PTC's and SemEval-2023's copies of an article break
    their lines differently) would have a span's offsets label other words.
    """
    from propscope.io.readers import article_id_of, printable, read_path

    unreadable: dict[str, str] = {}  # article id -> why its file could not be read

    def note(where: str, exc: InputError) -> None:
        unreadable.setdefault(printable(article_id_of(Path(where))), str(exc))

    found: dict[str, list[str | None]] = {}
    texts: dict[str, str] = {}
    for article in read_path(str(folder), on_error=note):
        found.setdefault(article.id, []).append(article.source)
        texts.setdefault(article.id, article.text)
    for article_id in sorted(wanted):
        sources = found.get(article_id, [])
        if len(sources) > 1:
            raise InputError(
                f"article id '{article_id}' occurs {len(sources)} times under {folder} "
                f"('{sources[0]}' and '{sources[1]}'); pass a folder that holds one copy"
            )
        if not sources and article_id in unreadable:
            raise InputError(unreadable[article_id])
    return texts


@app.command()
@handle_errors
def evaluate(
    task: Annotated[Task, typer.Option(help="Which official metric.")],
    gold: Annotated[
        Path,
        typer.Option(
            help="Gold labels: a file. si, tc and flc: also a folder of per-article span "
            "files, *.labels or (SemEval-2023's span folder) *-labels-subtask-3.txt files. "
            "st3: also a folder of per-article paragraph labels, *-labels-subtask-3.txt "
            "files. st1 and st2: a file only."
        ),
    ],
    pred: Annotated[
        Path,
        typer.Option(help="Predictions in the same format (a folder where gold may be one)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge/--no-merge",
            help="SI and FLC: merge overlapping predicted spans (the official scorer's -m); "
            "--no-merge refuses them, as the official scorer does by default.",
        ),
    ] = True,
) -> None:
    """Score predictions with the official SemEval metrics (their definitions:
    ../shared/data/METRICS.md; README: Quality)."""
    from rich.table import Table
    from rich.text import Text

    from propscope.evaluate import evaluate_files
    from propscope.io.readers import printable

    score = evaluate_files(task.value, gold, pred, merge_pred=merge)
    if score.unknown_articles:
        shown = ", ".join(printable(a) for a in score.unknown_articles[:3])
        more = len(score.unknown_articles) - 3
        err.print(
            "[yellow]propscope: warning:[/yellow] "
            + escape(
                f"the gold has no span in predicted article {shown}"
                f"{f' (and {more} more)' if more > 0 else ''}; their spans count as false "
                "positives (if the article ids differ from the gold's, rename the files)"
            ),
            highlight=False,
            soft_wrap=True,
        )
    if as_json:
        sys.stdout.write(score.model_dump_json(indent=2) + "\n")
        return
    out = Console()
    # file names and labels come from the user's files: shown as plain text ("[red]" is no
    # markup), escapes and controls escaped as everywhere else
    title = printable(f"{task.value.upper()}: {pred.name} vs {gold.name}")
    head = Table(title=Text(title))
    columns = ["precision", "recall", "F1", "macro-F1"]
    cells = [f"{score.precision:.4f}", f"{score.recall:.4f}", f"{score.f1:.4f}"]
    cells.append("-" if score.macro_f1 is None else f"{score.macro_f1:.4f}")
    if score.accuracy is not None:  # ST1's micro-F1, reported beside its macro-F1; TC's F1
        columns.append("accuracy")
        cells.append(f"{score.accuracy:.4f}")
    for column in (*columns, "gold", "predicted"):
        head.add_column(column, justify="right")
    head.add_row(*cells, str(score.support), str(score.predicted))
    out.print(head)
    if score.per_label:
        table = Table(title="per label")
        table.add_column("label")
        for column in ("precision", "recall", "F1", "support"):
            table.add_column(column, justify="right")
        for label, values in score.per_label.items():
            table.add_row(
                Text(printable(label)),
                *(f"{values.get(k, 0):.4f}" for k in ("precision", "recall", "f1")),
                str(int(values.get("support", 0))),
            )
        out.print(table)


@app.command()
@handle_errors
def train(
    output: Annotated[Path, typer.Option(help="Where to write the model directory.")] = Path(
        "propscope-model"
    ),
    data: Annotated[
        Path | None, typer.Option(help="The shared data folder (default: ../shared/data).")
    ] = None,
    epochs: Annotated[
        int | None,
        typer.Option(
            min=1, help="Epochs (default: 4; 1 with --extra-data, a fine-tune).", show_default=False
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Train on the first N articles only.")
    ] = None,
    tune_limit: Annotated[int | None, typer.Option(min=1, help="Tune on the first N only.")] = None,
    run_dir: Annotated[
        Path | None, typer.Option(help="Keep per-epoch checkpoints here (default: temporary).")
    ] = None,
    reuse_checkpoints: Annotated[
        bool, typer.Option(help="Select and export the checkpoints already in --run-dir.")
    ] = False,
    seed: Annotated[
        list[int] | None,
        typer.Option(
            help="Data-order seed; repeat it (--seed 13 --seed 21 ...) to fit one run per "
            "seed and average their weights (default: the shipped model's seeds)."
        ),
    ] = None,
    extra_data: Annotated[
        Path | None,
        typer.Option(
            help="Corrected articles (from 'propscope annotate import'): fine-tune --model on "
            "them plus --limit shared articles (default 40), keep it only if a held-out check "
            "does not get worse (docs/annotate.md)."
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="With --extra-data: the model to start from (default: the active one)."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="With --extra-data: write the model even if the check is worse.")
    ] = False,
    memes: Annotated[
        bool,
        typer.Option(
            help="Also fit on the SemEval-2021 meme texts (their train and tune splits; the "
            "only English examples of Questioning the reputation and Appeal to values). "
            "Measured, not shipped: see the README."
        ),
    ] = False,
    paragraphs_only: Annotated[
        bool,
        typer.Option(
            help="Only refit the paragraph probe on the token probabilities of the model "
            "directory --output (English: about two minutes; multilingual: ten)."
        ),
    ] = False,
    span_words_only: Annotated[
        bool,
        typer.Option(
            help="Only refit the span-words model of the model directory --output (English "
            "or multilingual), choose its weight and recalibrate on the held-out articles "
            "(half a minute to a few minutes)."
        ),
    ] = False,
    found_head_only: Annotated[
        bool,
        typer.Option(
            help="Only refit the found-span head of the model directory --output (the head "
            "that labels the spans the tagger finds) and recalibrate (English: about three "
            "minutes)."
        ),
    ] = False,
) -> None:
    """Fine-tune the span tagger from the shared data (about 30 minutes on 2 CPU cores), or
    fine-tune a model on corrected articles with --extra-data."""
    refuse_stdout(output, "a model directory", "a folder name")
    refuse_overwriting(output, files=[p for p in (data, extra_data) if p is not None])
    if not (paragraphs_only or span_words_only or found_head_only):
        from propscope.train import check_model_output

        # a new model replaces only a model directory, never what the run reads
        reads = [extra_data, data] if extra_data is not None else [data, run_dir]
        check_model_output(
            output, [p for p in reads if p is not None], replace_shipped=extra_data is None
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if paragraphs_only:
        from propscope.train import refit_token_probe

        refit_token_probe(output, data, limit, tune_limit, log=err.print)
        return
    if span_words_only:
        from propscope.train import refit_span_words

        refit_span_words(output, data, limit, tune_limit, log=err.print)
        return
    if found_head_only:
        from propscope.train_found_head import refit_found_head

        refit_found_head(output, data, limit, tune_limit, log=err.print)
        return
    if extra_data is not None:
        from propscope.retrain import finetune_model

        finetune_model(
            extra_data,
            output,
            base=model,
            data_dir=data,
            epochs=1 if epochs is None else epochs,
            limit=40 if limit is None else limit,
            tune_limit=tune_limit,
            force=force,
            log=err.print,
        )
        return
    from propscope.train import SHIPPED_SEEDS, train_model

    train_model(
        output,
        data,
        epochs=4 if epochs is None else epochs,
        limit=limit,
        tune_limit=tune_limit,
        run_dir=run_dir,
        reuse_checkpoints=reuse_checkpoints,
        seeds=tuple(seed) if seed else SHIPPED_SEEDS,
        memes=memes,
        log=err.print,
    )


@app.command("train-multilingual")
@handle_errors
def train_multilingual_command(
    output: Annotated[Path, typer.Option(help="Where to write the model directory.")] = Path(
        "propscope-multilingual-model"
    ),
    data: Annotated[
        Path | None, typer.Option(help="The shared data folder (default: ../shared/data).")
    ] = None,
    epochs: Annotated[
        int | None, typer.Option(min=1, help="Default: 5 fine-tuning, 4 for the adapter.")
    ] = None,
    device: Annotated[
        str | None, typer.Option(help="torch device for fine-tuning (default: cuda if present).")
    ] = None,
    adapter: Annotated[
        bool, typer.Option(help="Train the frozen-encoder adapter instead (1 hour on 2 cores).")
    ] = False,
    cache: Annotated[
        Path, typer.Option(help="Frozen encoder features (adapter and genre; resumable).")
    ] = Path("runs/e5-features.pt"),
    cross_validate: Annotated[
        bool, typer.Option(help="Also run the 3-fold cross-validation (about 3x as long).")
    ] = True,
) -> None:
    """Train the six-language span tagger (e5-small fine-tuned; a GPU takes minutes, 2 CPU
    cores about a day), then the genre and frame models and the paragraph probe (frozen e5
    features); see the README."""
    refuse_stdout(output, "a model directory", "a folder name")
    refuse_overwriting(output, files=[data] if data is not None else [])
    from propscope.train import check_model_output, remove_stale_staging

    # before a day of training: a folder of the user's that is no model directory was removed
    # when the model was written (and a folder named OUT.partial beside it)
    check_model_output(output, [data] if data is not None else [], replace_shipped="multilingual")
    remove_stale_staging(output, err.print)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from propscope.train import refit_span_words, refit_token_probe
    from propscope.train_finetune import train_finetuned
    from propscope.train_found_head import refit_found_head
    from propscope.train_multilingual import (
        train_frames,
        train_genre,
        train_multilingual,
        train_paragraph_probe,
    )

    cache.parent.mkdir(parents=True, exist_ok=True)
    if adapter:
        train_multilingual(output, data, epochs or 4, cache, cv=cross_validate, log=err.print)
    else:
        train_finetuned(output, data, epochs or 5, device=device, cv=cross_validate, log=err.print)
    train_genre(output, data, cache, log=err.print)
    train_frames(output, data, log=err.print)
    train_paragraph_probe(output, data, log=err.print)
    refit_token_probe(output, data, log=err.print)
    refit_span_words(output, data, log=err.print)
    refit_found_head(output, data, log=err.print)


@app.command()
def techniques() -> None:
    """List the 23 techniques by category, with their plain-language explanations."""
    from rich.table import Table

    from propscope import taxonomy

    table = Table(title="SemEval-2023 persuasion techniques", show_lines=True)
    table.add_column("category")
    table.add_column("technique")
    table.add_column("what it does")
    for category, names in taxonomy.CATEGORIES.items():
        for name in names:
            info = taxonomy.TECHNIQUE_INFO[name]
            colour = taxonomy.CATEGORY_COLOURS[category]
            table.add_row(f"[black on {colour}]{category}[/]", info.label, info.explanation)
    Console().print(table)


# --- corpus mode: batch, stats, export, report (docs/corpus.md) ------------------------------


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


class StatsBy(StrEnum):
    source = "source"
    month = "month"
    topic = "topic"
    genre = "genre"
    technique = "technique"
    category = "category"


class StatsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class ExportLevel(StrEnum):
    spans = "spans"
    articles = "articles"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///file.db, postgresql+psycopg://user@host/db) or a SQLite "
        "file path; default: $PROPSCOPE_DB_URL, else propscope.db in your data folder.",
    ),
]


@app.command()
@handle_errors
def batch(
    input: Annotated[
        Path,
        typer.Argument(
            help="A folder of .txt/.html articles (searched recursively; a sub-folder name "
            "becomes the source), a .jsonl file or a .csv file with id,text[,url,source,"
            "published,...] (docs/corpus.md)."
        ),
    ],
    db: DbOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Local worker processes (default: one per core) or Ray actors (default: one "
            "per CPU of the cluster). Each loads the model once.",
        ),
    ] = None,
    engine: Annotated[
        EngineName, typer.Option(help="Where to analyse: this machine or a Ray cluster.")
    ] = EngineName.local,
    address: Annotated[
        str | None,
        typer.Option(
            help="The Ray cluster, e.g. head:6379 or ray://head:10001 (default: $RAY_ADDRESS, "
            "else a Ray started for this run)."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N articles of INPUT.")
    ] = None,
    max_chars: Annotated[
        int, typer.Option(min=1, help="Longer articles are recorded as failed (too large).")
    ] = 1_000_000,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Analyses committed per database transaction (at most).")
    ] = 32,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Detection threshold (lower: more findings)."),
    ] = None,
    model: ModelOption = None,
    reanalyse: Annotated[
        bool,
        typer.Option(
            "--reanalyse",
            "--reanalyze",
            help="Analyse again the stored articles that another version of the model "
            "analysed (a fine-tuned --model), replacing their findings; their ids, metadata "
            "and dates are kept.",
        ),
    ] = False,
) -> None:
    """Analyse a corpus into a database; rerun the same command to resume or add articles.

    Articles are keyed by a hash of their text: what is stored is skipped (with --reanalyse,
    not what another model version analysed), and killing the run loses at most the
    articles in flight. Unreadable, empty or too large articles are
    recorded as failed with their reason and the run goes on.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from propscope.batch import check_corpus, count_corpus, make_engine, run_batch
    from propscope.store import Store

    # a wrong INPUT (or one wrong as a whole: not UTF-8, a CSV header without id or text)
    # fails before the database is opened or any worker starts
    check_corpus(input, max_chars=max_chars)
    store = Store(db)
    total = count_corpus(input)
    if total is not None and limit is not None:
        total = min(total, limit)
    runner = make_engine(
        engine.value, workers=workers, address=address, model_path=model, threshold=threshold
    )
    counts = {"analysed": 0, "skipped": 0, "failed": 0}
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[counts]}"),
    )
    try:
        with Progress(*columns, console=err, speed_estimate_period=60) as progress:
            task = progress.add_task("analysing", total=total, rate="", counts="")

            def tick(kind: str) -> None:
                counts[kind] += 1
                speed = progress.tasks[task].speed
                progress.update(
                    task,
                    advance=1,
                    rate=f"{speed:.2f}/s" if speed else "",
                    counts=" · ".join(f"{k} {v}" for k, v in counts.items() if v),
                )

            summary = run_batch(
                input,
                store,
                runner,
                limit=limit,
                max_chars=max_chars,
                commit_every=batch_size,
                on_tick=tick,
                reanalyse=reanalyse,
            )
    except KeyboardInterrupt as exc:
        # A second Ctrl-C (or SIGTERM), while the first one's last commit ran: that
        # transaction is rolled back, but every batch committed before it is stored
        # ("nothing was written" is what the other commands say, and would be untrue here).
        _say_interrupted(
            exc,
            "the articles committed before are kept in the database and the batch being "
            "committed was not: run the same command again to continue",
        )
        raise typer.Exit(interrupted_exit_code(exc)) from None
    finally:
        runner.close()
    _print_batch_summary(summary, runner)
    if summary.interrupted:
        stopped_by = getattr(summary, "stopped_by", None)  # stand-ins in tests lack it
        raise typer.Exit(128 + stopped_by if stopped_by else 130)
    # A pipeline must tell a run that could not read its INPUT to the end from one that went
    # through; failed records are the summary's (and the database's) to report, exit 0.
    if summary.stopped is not None:
        from propscope.io.readers import printable

        err.print(
            f"propscope: {printable(summary.stopped)}; correct INPUT and run the same command "
            "again (what is stored is skipped)",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)


def _print_batch_summary(summary, runner) -> None:
    """What the run did, on stdout: counts, rate, and each failure with its reason."""
    from propscope.io.readers import printable

    out = Console(highlight=False, soft_wrap=True)
    state = "interrupted" if summary.interrupted else "done"
    out.print(
        f"{state}: analysed {summary.analysed}, skipped {summary.skipped} (already stored or "
        f"repeated), failed {summary.failed} in {summary.seconds:.1f} s "
        f"({summary.rate:.2f} articles/s, {runner.name} engine, {runner.workers} "
        f"worker{'s' if runner.workers != 1 else ''})"
    )
    if summary.elsewhere:
        out.print(
            f"  {summary.elsewhere} of the skipped were being analysed by another run on this "
            "database; rerun after it ends to pick up any it did not finish"
        )
    if reanalysed := getattr(summary, "reanalysed", 0):
        out.print(
            f"  {reanalysed} of the analysed had been analysed by another model version: "
            f"their findings were replaced by model {summary.model_version}'s (ids, metadata "
            "and dates kept)",
            markup=False,
        )
    if others := getattr(summary, "other_versions", None):
        versions = ", ".join(f"{printable(v)}: {n}" for v, n in list(others.items())[:5])
        out.print(
            f"  {sum(others.values())} of the skipped were analysed by another model version "
            f"({versions}{', ...' if len(others) > 5 else ''}), not by this run's model "
            f"({summary.model_version}): add --reanalyse to analyse them again with it (their "
            "findings are replaced; ids, metadata and dates kept)",
            markup=False,
        )
    # a date that does not parse was dropped silently before (getattr: stand-ins in tests)
    if undated := getattr(summary, "undated", None):
        listed = ", ".join(
            f"{printable(name)} ('{printable(value)}')" for name, value in undated[:10]
        )
        more = f" and {len(undated) - 10} more" if len(undated) > 10 else ""
        one = len(undated) == 1
        out.print(
            f"  warning: {len(undated)} record{'' if one else 's'} {'has' if one else 'have'} a "
            "published date propscope cannot read, that lies in the future or that stands for "
            f"none (before 1900, or the Unix epoch): {listed}{more}; "
            f"{'it is' if one else 'they are'} stored undated (give ISO 8601 dates, "
            "2024-03-05, or RFC 2822 ones)",
            markup=False,
        )
    if mislabelled := getattr(summary, "mislabelled", None):
        listed = ", ".join(
            f"{printable(name)} ({given}, reads as {found})"
            for name, given, found in mislabelled[:10]
        )
        more = f" and {len(mislabelled) - 10} more" if len(mislabelled) > 10 else ""
        one = len(mislabelled) == 1
        out.print(
            f"  warning: {len(mislabelled)} record{'' if one else 's'} {'was' if one else 'were'} "
            f"analysed in the language of {'its' if one else 'their'} language field, though a "
            f"sure detection reads another: {listed}{more}; findings and speakers may be missed "
            "(fix the field, or "
            "leave it out to detect the language)",
            markup=False,
        )
    from propscope.batch import kept_metadata_warning

    if (kept := kept_metadata_warning(summary)) is not None:  # record ids escaped there
        out.print(kept, markup=False)
    shown = 20
    for key, reason in summary.failures[:shown]:  # names and ids from the corpus: escaped
        # a record's reason names its place already ("record 'e' at c.jsonl:2: ...")
        where = "" if f" at {key}:" in reason else f"{printable(key)}: "
        out.print(f"  failed: {where}{printable(reason)}", markup=False)
    if summary.failed > shown:
        out.print(
            f"  ... and {summary.failed - shown} more failures (stored in the database: "
            "SELECT record, location, reason FROM failures)"
        )
    if summary.interrupted:
        out.print("Committed results are kept: run the same command again to continue.")


@app.command()
@handle_errors
def stats(
    db: DbOption = None,
    by: Annotated[
        StatsBy,
        typer.Option(
            help="Group by source, month, topic (the article's main frame), genre, technique "
            "or category."
        ),
    ] = StatsBy.technique,
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table,
    output: OutputFileOption = None,
) -> None:
    """Corpus statistics: counts, shares of articles using each technique, findings per
    1,000 words."""
    from propscope.report.terminal import visible
    from propscope.views import blind_spots, stats_table, write_stats

    output = file_or_stdout(output)
    refuse_overwriting(output, db=db)
    check_output_file(output)
    store = existing_store(db)
    with store.snapshot():  # the notes are of the models of the articles counted
        groups = store.stats(by.value)
        models = store.models()
    for note in blind_spots(models) if groups else ():
        err.print(f"note: {visible(note)}", highlight=False, markup=False)
    if fmt is not StatsFormat.table:
        buffer = io.StringIO()
        write_stats(groups, by.value, fmt.value, buffer)
        write_output(buffer.getvalue(), output)
        return
    # Source names come from the corpus: control characters are shown escaped, and neither
    # rich markup ("[/b]" failed the command) nor emoji codes are read in them.
    shown = [{**g, "key": visible(g["key"])} if isinstance(g["key"], str) else g for g in groups]
    # The rate with two decimals in every row ("0.00" beside "7.35", not "0.0"): the table
    # shows the value as it gets it.
    shown = [
        {**g, "per_1000_words": f"{rate:,.2f}"}
        if isinstance(rate := g.get("per_1000_words"), int | float)
        else g
        for g in shown
    ]
    table = stats_table(shown, by.value)
    width = plain_report_width(default=120)  # piped or written to a file: COLUMNS, else 120
    if output is None and sys.stdout.isatty():
        width = max(80, os.get_terminal_size(sys.stdout.fileno()).columns)
    console = Console(file=io.StringIO(), record=True, width=width, markup=False, emoji=False)
    console.print(table if groups else "No articles stored yet: run propscope batch first.")
    write_output(console.export_text(), output)


@app.command()
@handle_errors
def export(
    db: DbOption = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl, csv, or parquet (parquet needs pyarrow: pip install "
            "'propscope\\[parquet]').",
        ),
    ] = ExportFormat.jsonl,
    level: Annotated[
        ExportLevel,
        typer.Option(
            help="One record per finding (spans), or per article (articles: with jsonl, the "
            "full analysis JSON)."
        ),
    ] = ExportLevel.spans,
    output: OutputFileOption = None,
) -> None:
    """Export every stored finding or article, with the field names of the JSON schema."""
    from propscope.views import export as export_store

    output = file_or_stdout(output)
    refuse_overwriting(output, db=db)
    check_output_file(output)
    n = export_store(existing_store(db), fmt.value, level.value, output, sys.stdout)
    if output is not None:
        err.print(f"wrote {n} {level.value if n != 1 else level.value[:-1]} to {output}")


@app.command()
@handle_errors
def report(
    given: Annotated[
        str,
        typer.Option("--output", "-o", metavar="PATH", help="The dashboard HTML file."),
    ],
    db: DbOption = None,
    title: Annotated[str | None, typer.Option(help="The dashboard's title.")] = None,
    article_reports: Annotated[
        bool,
        typer.Option(help="Also write each article's report into OUTPUT-stem_files/."),
    ] = True,
) -> None:
    """A self-contained HTML dashboard of the corpus, linking each article's report."""
    from propscope.report.corpus import (
        check_report_output,
        files_folder,
        render_corpus_report,
        write_corpus_report,
    )

    output = output_path(given)
    if output == STDOUT:  # the dashboard alone can go to standard output
        if article_reports:
            refuse_stdout(
                output,
                "a dashboard and a folder of article reports",
                "a file name, or --no-article-reports",
            )
        write_output(render_corpus_report(existing_store(db), title=title)[0], None)
        return
    refuse_overwriting(output, db=db)
    check_report_output(output, article_reports=article_reports)
    if article_reports and output.expanduser().name:  # "/" is refused as a folder later
        # a page replaces any 'article-N.html' there, the database too if it is one of them
        for page in files_folder(output.expanduser()).glob("article-*.html"):
            refuse_overwriting(page, db=db)
    store = existing_store(db)
    written = write_corpus_report(store, output, title=title, article_reports=article_reports)
    where = (
        f" and {written.articles} article reports in {written.folder}" if article_reports else ""
    )
    err.print(f"wrote {written.path}{where}")


@app.command()
@handle_errors
def extension(
    given: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Folder for the unpacked extension and zip."
        ),
    ],
) -> None:
    """Write the browser extension (unpacked folder and zip) for the local server."""
    from propscope.browser_extension import write_extension

    output = folder_output(given)
    refuse_stdout(output, "a folder", "a folder name")
    written = write_extension(output)
    err.print(f"wrote {written.folder} and {written.zip_path}", soft_wrap=True)
    err.print(f"extension ID {written.extension_id}; allow it with:")
    err.print(
        f"  propscope serve --allow-extension {written.extension_id}", soft_wrap=True, markup=False
    )


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on (0.0.0.0: every network interface; '': every one, IPv6 "
            "too, as uvicorn takes it)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    db: DbOption = None,
    api_key_file: Annotated[
        Path | None,
        typer.Option(
            help="Require the key in this file (first line) to analyse and delete "
            "(or set $PROPSCOPE_API_KEY); send it as X-API-Key or in the form field.",
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(hidden=True, help="Deprecated: visible to every local user in ps."),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="A host name clients use to reach the server (repeatable; default: localhost, "
            "127.0.0.1, [::1] and --host; '*': any, behind a proxy that checks it).",
        ),
    ] = None,
    allow_extension: Annotated[
        list[str] | None,
        typer.Option(
            envvar="PROPSCOPE_ALLOW_EXTENSION",
            help="Admit the propscope browser extension with this ID (repeatable; printed by "
            "`propscope extension`), or an origin such as moz-extension://UUID.",
        ),
    ] = None,
    max_chars: Annotated[
        int, typer.Option(min=1, help="Longest article accepted, in characters (else 413).")
    ] = 100_000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Analyses run at the same time.")] = 2,
    queue: Annotated[
        int, typer.Option(min=0, help="Analyses that may wait for a worker (then 503).")
    ] = 16,
    allow_private_urls: Annotated[
        bool,
        typer.Option(help="Let the server fetch loopback, private and link-local addresses."),
    ] = False,
    model: ModelOption = None,
    header_timeout: Annotated[
        float,
        typer.Option(
            min=0.1, help="Seconds a client has to send a request's headers (then closed)."
        ),
    ] = 10.0,
    body_timeout: Annotated[
        float,
        typer.Option(min=0.1, help="Seconds a client has to send a request's body (then 408)."),
    ] = 60.0,
    max_connections: Annotated[
        int,
        typer.Option(
            min=0,
            help="Connections open at once, idle ones included, before new requests get 503 "
            "(0: no cap; a cap lets that many idle connections lock others out).",
        ),
    ] = 0,
) -> None:
    """Start the web app and HTTP API (pages at /, API at /api/v1, docs at /api/docs)."""
    from propscope.web.workers import limit_malloc_arenas

    limit_malloc_arenas()  # before the model loader and the analysis threads start
    # uvicorn shuts down on SIGTERM itself, then raises it again; a SIGHUP ends the server
    # as before (handle_errors' handlers are for commands that write files)
    for signum in _TERMINATING:
        if signal.getsignal(signum) is _terminate:
            signal.signal(signum, signal.SIG_DFL)
    import uvicorn

    from propscope.browser_extension import extension_origin
    from propscope.web.app import check_can_listen, create_app
    from propscope.web.secrets import resolve_api_key
    from propscope.web.server import uvicorn_options

    if api_key:
        err.print(
            "[yellow]propscope: warning:[/yellow] --api-key shows the key to every local user "
            "(ps); use --api-key-file or $PROPSCOPE_API_KEY"
        )
    api_key = resolve_api_key(api_key_file, api_key)
    extension_origins = [extension_origin(value) for value in allow_extension or ()]
    # One line and exit 2 for a port in use or a wrong --host: before the database is opened
    # (or created), the address announced and the model starts loading (a process that exits
    # while it loads aborts).
    check_can_listen(host, port)
    web_app = create_app(
        db_url=db,
        model_path=model,
        api_key=api_key,
        allow_private_urls=allow_private_urls,
        analysis_workers=workers,
        max_chars=max_chars,
        queue_size=queue,
        bind_host=host,
        allowed_hosts=allowed_host or (),
        allowed_origins=extension_origins,
    )
    # uvicorn hands an empty host to asyncio, which listens on every address (IPv4 and IPv6)
    every_interface = host in ("", "0.0.0.0", "::")
    if host:
        where = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    else:
        where = f"every network interface, http://0.0.0.0:{port}/ and http://[::]:{port}/"
    err.print(f"propscope: serving on {where} (database {web_app.state.store!r})", soft_wrap=True)
    if host not in ("127.0.0.1", "localhost", "::1") and not api_key:
        err.print(
            "[yellow]propscope: warning:[/yellow] listening beyond this machine without "
            "an API key: anyone who reaches it can analyse, store and delete articles"
        )
    if every_interface and not allowed_host:
        err.print(
            "propscope: note: only requests naming localhost, 127.0.0.1 or [::1] are answered; "
            "add the names clients use with --allowed-host",
            soft_wrap=True,
        )
    for origin in extension_origins:
        err.print(f"propscope: admitting the browser extension {origin}", soft_wrap=True)
    # deadlines for slow clients and a cap on connections (uvicorn's defaults wait for ever)
    limits = uvicorn_options(
        header_timeout=header_timeout, body_timeout=body_timeout, max_connections=max_connections
    )
    uvicorn.run(web_app, host=host, port=port, log_level="info", **limits)


# `propscope annotate export|import`: the Label Studio round trip (docs/annotate.md).
from propscope.integrations.cli_annotate import annotate_app  # noqa: E402

app.add_typer(annotate_app, name="annotate")


def _flowing(text: str) -> str:
    """``text`` with the line breaks inside each paragraph made spaces. Typer's rich help
    keeps a docstring's line breaks and wraps each line again, which left one or two words
    on lines of their own ("... unsupported language) is" / "reported" / "on stderr ...");
    flowing text is wrapped to the terminal's width. Paragraphs stay apart, and one that
    starts with click's ``\\b`` keeps its lines."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(
        part if part.startswith("\b") else " ".join(line.strip() for line in part.splitlines())
        for part in paragraphs
    )


def _flow_help(typer_app: typer.Typer) -> None:
    """Make the help of ``typer_app``, its commands and its sub-apps flow (see `_flowing`)."""
    if isinstance(typer_app.info.help, str):
        typer_app.info.help = _flowing(typer_app.info.help)
    for command in typer_app.registered_commands:
        text = command.help if command.help is not None else inspect.getdoc(command.callback)
        if text:
            command.help = _flowing(text)
    for group in typer_app.registered_groups:
        if isinstance(group.help, str):
            group.help = _flowing(group.help)
        if group.typer_instance is not None:
            _flow_help(group.typer_instance)


_flow_help(app)


def main() -> None:  # pragma: no cover - console entry
    app()
