"""``propscope annotate export|import``: the Label Studio round trip (docs/annotate.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from propscope.cli import (
    DbOption,
    SensitivityName,
    _language_refusal,
    err,
    existing_store,
    folder_output,
    handle_errors,
    print_error,
    refuse_overwriting,
    refuse_stdout,
)
from propscope.io.readers import printable

annotate_app = typer.Typer(
    help="Review findings in Label Studio and bring the corrections back (docs/annotate.md).",
    no_args_is_help=True,
)


@annotate_app.command("export")
@handle_errors
def export_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Article files or folders (or use --db for a corpus database)."),
    ] = None,
    given: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Folder for label-config.xml and tasks.json."
        ),
    ] = "labelstudio",
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles.")] = None,
    sensitivity: Annotated[SensitivityName, typer.Option()] = SensitivityName.balanced,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    model: Annotated[
        Path | None, typer.Option(help="A model directory (default: the shipped model).")
    ] = None,
) -> None:
    """Write a Label Studio labelling configuration and tasks with propscope's findings as
    pre-annotations, from article files (analysed now) or from a store (as stored). An
    input that cannot be read (empty, not text, no main text) or an article in a language
    propscope does not analyse is named and left out (exit status 2), as analyze does."""
    from itertools import islice

    from propscope.errors import InputError, UnsupportedLanguageError
    from propscope.integrations.labelstudio import write_export
    from propscope.io.files import check_output_file, check_path, is_folder
    from propscope.io.readers import is_url

    if bool(inputs) == bool(db):
        raise InputError("give article files or folders, or --db, not both and not neither")
    output = folder_output(given)
    refuse_stdout(output, "label-config.xml and tasks.json", "a folder name")
    check_path(output, output=True)
    read = [Path(s) for s in inputs or () if s != "-" and not is_url(s)]
    for written in (output / "label-config.xml", output / "tasks.json"):
        # '--db rv/tasks.json -o rv' replaced the database with the task list (links too)
        refuse_overwriting(written, files=read, db=db)
        if is_folder(output):  # a write-protected tasks.json: refused before the analysis
            check_output_file(written)
    refused = 0  # inputs left out: unreadable, or in a language propscope does not analyse
    if db:
        stored = list(islice(existing_store(db).iter_articles(), limit))
        if not stored:
            raise InputError("the database holds no articles; run propscope batch first")
        analyses = [s.analysis for s in stored]
        extras = [{"store_id": s.id, "source": s.source, "url": s.url} for s in stored]
    else:
        from propscope.analysis import analyze
        from propscope.io.readers import read_inputs
        from propscope.models.tagger import load_model

        def left_out(_where: str, exc: Exception) -> None:
            nonlocal refused
            refused += 1
            print_error(exc)

        # as analyze does: an input that cannot be read (one empty file of a folder wrote
        # nothing at all) or an article in a language propscope does not analyse (a folder
        # of hundreds gave "text is in Spanish" and no file) is named, the rest exported
        articles = read_inputs(inputs, on_error=left_out)[:limit]
        tagger = load_model(model) if articles else None
        analyses = []
        for article in articles:
            where = article.source or article.id
            try:
                analyses.append(
                    analyze(article, tagger, threshold=threshold, sensitivity=sensitivity.value)
                )
            except UnsupportedLanguageError as exc:
                left_out(where, _language_refusal(where, exc))
            except InputError as exc:
                left_out(where, exc)
        if not analyses:
            raise InputError(f"no article could be analysed; nothing written to '{output}'")
        extras = None
    config, tasks = write_export(analyses, output, extras)
    spans = sum(len(a.spans) for a in analyses)
    err.print(
        printable(
            f"wrote {config} and {tasks} ({len(analyses)} tasks, {spans} pre-annotated spans)"
            + (f"; left out {refused} article(s) named above" if refused else "")
        ),
        markup=False,
        highlight=False,
    )
    if refused:
        raise typer.Exit(2)


@annotate_app.command("import")
@handle_errors
def import_command(
    export: Annotated[Path, typer.Argument(help="A Label Studio export in JSON format.")],
    given: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="New folder: SemEval-2023 articles, span files, annotations.json",
        ),
    ],
    users: Annotated[
        Path | None,
        typer.Option(help="Label Studio's user list (GET /api/users as JSON) to name annotators."),
    ] = None,
) -> None:
    """Read corrected annotations back: SemEval-2023 span files for train --extra-data and
    annotations.json (who annotated what, and when); report skipped tasks and conflicts."""
    from rich.markup import escape

    from propscope.errors import InputError
    from propscope.integrations.labelstudio import (
        check_import_output,
        import_tasks,
        read_tasks,
        read_users,
        unnamed_annotators,
        write_import,
    )

    output = folder_output(given)
    refuse_stdout(output, "articles, span files and annotations.json", "a folder name")
    # before the report is printed: it read like a success above the refusal
    check_import_output(output)
    tasks = read_tasks(export)
    named = read_users(users) if users else None
    report = import_tasks(tasks, named, name=f"'{export}'")
    if named is not None and (unnamed := unnamed_annotators(tasks, named)) is not None:
        shown = ", ".join(map(str, unnamed[:5])) + (", ..." if len(unnamed) > 5 else "")
        err.print(
            "[yellow]propscope: warning:[/yellow] "
            + escape(
                printable(
                    f"'{users}' names none of the export's annotators (user ids {shown}), so "
                    f"they are named 'user {unnamed[0]}' and so on; save GET /api/users from "
                    "the Label Studio that made the export"
                )
            ),
            highlight=False,
            soft_wrap=True,
        )
    for line in report.lines():  # annotators' names and ids come from the export
        typer.echo(printable(line))
    if not report.articles:
        raise InputError(f"no annotated article in '{export}'; nothing written")
    write_import(report, output)
    err.print(
        printable(f"wrote {len(report.articles)} articles to {output}"),
        markup=False,
        highlight=False,
    )
