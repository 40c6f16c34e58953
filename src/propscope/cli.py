"""The ``propscope`` command: a thin typer skin over ``analyze()`` and friends.

Every command turns a ``PropscopeError`` into one line on stderr and exit code 2, and
writes an output file only when everything succeeded (write to a temp file, then rename).
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from propscope.errors import PropscopeError

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
    st3 = "st3"


class TaxonomyName(StrEnum):
    semeval2023 = "semeval2023"
    ptc14 = "ptc14"


class Task(StrEnum):
    si = "si"
    tc = "tc"
    flc = "flc"
    st1 = "st1"
    st2 = "st2"
    st3 = "st3"


def handle_errors(command):
    """Print a PropscopeError as one line and exit 2; never show a traceback for bad input."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PropscopeError as exc:
            err.print(
                f"[bold red]propscope: error:[/bold red] {exc}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("propscope: interrupted; nothing was written")
            raise typer.Exit(130) from None

    return wrapper


def write_output(content: str, output: Path | None) -> None:
    """Print to stdout, or write the file atomically (no half-written file on failure)."""
    if output is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    output = output.expanduser()
    if output.is_dir():
        raise PropscopeError(f"--output '{output}' is a directory; give a file name")
    if not output.parent.exists():
        raise PropscopeError(f"cannot write '{output}': folder '{output.parent}' does not exist")
    handle, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _rows_text(writer, rows) -> str:
    buffer = io.StringIO()
    writer(rows, buffer)
    return buffer.getvalue()


def render(analyses, fmt: OutputFormat, scheme: TaxonomyName, to_terminal: bool) -> str:
    """One output document for all analyses, in the requested format."""
    from propscope.io import formats, submission

    if fmt is OutputFormat.json:
        items = [a.model_dump(mode="json") for a in analyses]
        return (
            json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=2) + "\n"
        )
    if fmt is OutputFormat.html:
        from propscope.report.html import render_html

        return render_html(analyses)
    if fmt is OutputFormat.si:
        return _rows_text(formats.write_si, submission.si_rows(analyses))
    if fmt is OutputFormat.flc:
        return _rows_text(formats.write_flc, submission.flc_rows(analyses, scheme.value))
    if fmt is OutputFormat.st3:
        return _rows_text(formats.write_st3, submission.st3_rows(analyses))
    from propscope.report.terminal import render_terminal

    console = Console(
        file=io.StringIO(),
        record=True,
        width=None if to_terminal else 110,
        force_terminal=to_terminal,
        color_system="truecolor" if to_terminal else None,
    )
    render_terminal(analyses, console)
    return console.export_text(styles=to_terminal)


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
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    scheme: Annotated[
        TaxonomyName, typer.Option("--taxonomy", help="Label scheme of flc output.")
    ] = TaxonomyName.ptc14,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Detection threshold (lower: more findings)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="A model directory (default: the shipped model).")
    ] = None,
) -> None:
    """Analyse articles and report where and how they persuade."""
    from propscope.analysis import analyze as analyze_article
    from propscope.io.readers import read_inputs
    from propscope.models.tagger import load_model

    articles = read_inputs(inputs)
    tagger = load_model(model)
    if len(articles) > 1:
        from rich.progress import track

        articles_iter = track(articles, description="Analysing", console=err, transient=True)
    else:
        articles_iter = articles
    analyses = [analyze_article(a, tagger, threshold=threshold) for a in articles_iter]
    to_terminal = output is None and sys.stdout.isatty()
    write_output(render(analyses, fmt, scheme, to_terminal), output)


@app.command("label-spans")
@handle_errors
def label_spans_command(
    template: Annotated[
        Path, typer.Argument(help="TC template: article_id<TAB>?<TAB>start<TAB>end")
    ],
    articles: Annotated[Path, typer.Option(help="Folder with the article{ID}.txt files.")],
    scheme: Annotated[TaxonomyName, typer.Option("--taxonomy")] = TaxonomyName.ptc14,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    model: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Technique classification (SemEval-2020 TC): label each span of a template."""
    from propscope.analysis import label_spans
    from propscope.io.formats import read_flc, write_flc
    from propscope.io.readers import read_path
    from propscope.models.tagger import load_model

    rows = read_flc(template)
    texts = {a.id: a.text for a in read_path(str(articles))}
    labelled = label_spans(rows, texts, load_model(model), scheme.value)
    write_output(_rows_text(write_flc, labelled), output)


@app.command()
@handle_errors
def evaluate(
    task: Annotated[Task, typer.Option(help="Which official metric.")],
    gold: Annotated[Path, typer.Option(help="Gold labels (file, or folder of .labels files).")],
    pred: Annotated[Path, typer.Option(help="Predictions in the same format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score predictions with the official SemEval metrics (see METRICS in the README)."""
    from rich.table import Table

    from propscope.evaluate import evaluate_files

    score = evaluate_files(task.value, gold, pred)
    if as_json:
        sys.stdout.write(score.model_dump_json(indent=2) + "\n")
        return
    out = Console()
    head = Table(title=f"{task.value.upper()}: {pred.name} vs {gold.name}")
    for column in ("precision", "recall", "F1", "macro-F1", "gold", "predicted"):
        head.add_column(column, justify="right")
    macro = "-" if score.macro_f1 is None else f"{score.macro_f1:.4f}"
    head.add_row(
        f"{score.precision:.4f}",
        f"{score.recall:.4f}",
        f"{score.f1:.4f}",
        macro,
        str(score.support),
        str(score.predicted),
    )
    out.print(head)
    if score.per_label:
        table = Table(title="per label")
        table.add_column("label")
        for column in ("precision", "recall", "F1", "support"):
            table.add_column(column, justify="right")
        for label, values in score.per_label.items():
            table.add_row(
                label,
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
    epochs: Annotated[int, typer.Option(min=1)] = 4,
    limit: Annotated[int | None, typer.Option(help="Train on the first N articles only.")] = None,
    tune_limit: Annotated[int | None, typer.Option(help="Tune on the first N only.")] = None,
) -> None:
    """Fine-tune the span tagger from the shared data (about 30 minutes on 2 CPU cores)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from propscope.train import train_model

    train_model(output, data, epochs=epochs, limit=limit, tune_limit=tune_limit, log=err.print)


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


def main() -> None:  # pragma: no cover - console entry
    app()
