"""Label Studio round trip: the formats (no server) and a real server driven by its SDK."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hostile import error_lines, no_hang
from hostile import run as run_caught
from typer.testing import CliRunner

from propscope import taxonomy
from propscope.cli import app
from propscope.errors import InputError
from propscope.integrations.labelstudio import (
    ANNOTATIONS_FILE,
    ARTICLES_DIR,
    SPANS_DIR,
    AnnotatedArticle,
    Annotation,
    ImportReport,
    control_name,
    export_tasks,
    from_utf16,
    import_tasks,
    labelling_config,
    to_utf16,
    write_import,
)

ROOT = Path(__file__).resolve().parents[1]
EMOJI_TEXT = (
    "Rally 😡 tonight\r\n\r\nThey are corrupt traitors 😡 who hate our glorious nation.\r\n"
)


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def region(text: str, words: str, technique: str, nth: int = 0) -> dict:
    """A region on the ``nth`` occurrence of ``words``, its offsets in code points as Label
    Studio's editor saves them."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    end = start + len(words)
    return {
        "from_name": control_name(taxonomy.CATEGORY_OF.get(technique, "Call")),
        "to_name": "text",
        "type": "labels",
        "value": {
            "start": start,
            "end": end,
            "text": words,
            "labels": [technique],
        },
    }


# --- formats, no server ---------------------------------------------------------------------


def test_utf16_offsets_round_trip():
    """(What earlier versions exported; import reads such offsets back where words match.)"""
    text = EMOJI_TEXT
    start = text.index("traitors")
    assert to_utf16(text, start) == start + 1  # one emoji before it: two UTF-16 units
    assert from_utf16(text, to_utf16(text, start)) == start
    assert all(from_utf16(text, to_utf16(text, i)) == i for i in range(len(text) + 1))
    assert to_utf16("plain", 3) == 3


def test_labelling_config_has_23_techniques_in_6_coloured_categories():
    root = ET.fromstring(labelling_config())
    blocks = root.findall("Labels")
    assert [b.get("name") for b in blocks] == [control_name(c) for c in taxonomy.CATEGORIES]
    assert len(blocks) == 6
    seen = []
    for block, (category, techniques) in zip(blocks, taxonomy.CATEGORIES.items(), strict=True):
        assert block.get("toName") == "text"
        labels = block.findall("Label")
        assert [x.get("value") for x in labels] == list(techniques)
        assert {x.get("background") for x in labels} == {taxonomy.CATEGORY_COLOURS[category]}
        seen += [x.get("value") for x in labels]
    assert sorted(seen) == sorted(taxonomy.TECHNIQUES) and len(seen) == 23
    assert root.find("Text").get("value") == "$text"


def test_import_reports_skips_conflicts_and_repairs():
    text = "They are traitors. Our glorious nation wins. They are traitors."
    good = region(text, "traitors", "Name_Calling-Labeling", nth=1)
    shifted = region(text, "glorious nation", "Flag_Waving")
    shifted["value"]["start"] += 2  # an editor that counted differently: re-anchored on words
    shifted["value"]["end"] += 2
    tasks = [
        {
            "id": 1,
            "data": {"text": text, "article_id": "a1", "title": "T"},
            "annotations": [
                {
                    "completed_by": {"id": 2, "email": "ana@example.com"},
                    "created_at": "2026-01-02T10:00:00Z",
                    "updated_at": "2026-01-02T10:05:00Z",
                    "lead_time": 30.0,
                    "result": [good, shifted, region(text, "wins", "Not_A_Technique")],
                },
                {
                    "completed_by": 3,
                    "created_at": "2026-01-01T09:00:00Z",
                    "updated_at": "2026-01-01T09:00:00Z",
                    "result": [good],
                },
            ],
        },
        {
            "id": 2,
            "data": {"text": "Skipped text.", "article_id": "a2"},
            "annotations": [{"was_cancelled": True, "result": []}],
        },
        {
            "id": 3,
            "data": {"text": "Only predicted.", "article_id": "a3"},
            "annotations": [],
            "predictions": [{"result": []}],
        },
        {
            "id": 4,
            "data": {"text": "Another text.", "article_id": "a1"},
            "annotations": [{"completed_by": 2, "result": []}],
        },
        {"id": 5, "data": {}},
    ]
    report = import_tasks(tasks)
    assert [a.id for a in report.articles] == ["a1"]
    article = report.articles[0]
    assert [(s.technique, s.text, s.start) for s in article.spans] == [
        ("Flag_Waving", "glorious nation", text.index("glorious nation")),
        ("Name_Calling-Labeling", "traitors", text.index("traitors", 10)),
    ]
    assert article.annotations[article.chosen].annotator == "ana@example.com"  # latest update
    assert article.annotations[1].annotator == "user 3"
    assert report.repaired == 1
    reasons = dict(report.skipped)
    assert "unknown technique label 'Not_A_Technique'" in reasons["task 1"]
    assert reasons["task 2"] == "skipped by the annotator"
    assert reasons["task 3"] == "not annotated (only predictions)"
    assert reasons["task 4"] == "article id 'a1' used twice"
    assert reasons["task 5"] == "no text in data.text"
    conflicts = [what for _, what in report.conflicts]
    assert any("2 annotations disagree; kept ana@example.com (2 spans)" in c for c in conflicts)
    assert report.lines()[0] == (
        "5 tasks: imported 1 articles with 2 spans, skipped 5, conflicts 2, "
        "1 regions re-anchored on their words"
    )


def test_import_command_errors_are_one_line(tmp_path):
    missing = run("annotate", "import", str(tmp_path / "nope.json"), "-o", str(tmp_path / "o"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("annotate", "import", str(bad), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "not a Label Studio JSON export" in result.output
    empty = tmp_path / "empty.json"
    unannotated = [{"id": 1, "data": {"text": "x y", "article_id": "a"}}]
    empty.write_text(json.dumps(unannotated), encoding="utf-8")
    result = run("annotate", "import", str(empty), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "nothing written" in result.output
    assert not (tmp_path / "o").exists()
    neither = run("annotate", "export", "-o", str(tmp_path / "x"))
    assert neither.exit_code == 2 and "not both and not neither" in neither.output


HOSTILE_TEXT = "The corrupt elite are destroying our nation."


def hostile_task(region: dict | None = None, annotation: dict | None = None, **task) -> dict:
    """One task over HOSTILE_TEXT whose first region, annotation or task fields are changed."""
    value = {"start": 4, "end": 11, "text": "corrupt", "labels": ["Loaded_Language"]}
    raw = {"completed_by": 1, "result": [{"type": "labels", "value": {**value, **(region or {})}}]}
    return {
        "id": 1,
        "data": {"text": HOSTILE_TEXT, "article_id": "1"},
        "annotations": [{**raw, **(annotation or {})}],
        **task,
    }


def hostile_data(**data) -> dict:
    return hostile_task(data={"text": HOSTILE_TEXT, "article_id": "1", **data})


MALFORMED_EXPORTS = {
    "data is a string": (
        hostile_task(data="hello"),
        "task 1: data is a string, not an object",
    ),
    "annotations hold a string": (
        hostile_task(annotations=["x"]),
        "task 1: annotation 1 is a string, not an object",
    ),
    "annotations are an object": (
        hostile_task(annotations={"a": 1}),
        "task 1: annotations is an object, not a list",
    ),
    "result holds a string": (
        hostile_task(annotations=[{"completed_by": 1, "result": ["x"]}]),
        "task 1, annotation 1: region 1 is a string, not an object",
    ),
    "labels hold an object": (
        hostile_task({"labels": [{"x": 1}]}),
        "task 1, annotation 1, region 1: labels holds an object, not a technique name",
    ),
    "labels are a string": (
        hostile_task({"labels": "Loaded_Language"}),
        "region 1: labels is a string, not a list",
    ),
    "region text is a number": (
        hostile_task({"text": 5}),
        "region 1: text is a number, not a string",
    ),
    "start is infinite": (
        hostile_task({"start": 1e400}),
        "region 1: start is inf, not a whole number",
    ),
    "start is a fraction": (
        hostile_task({"start": 4.7}),
        "region 1: start is 4.7, not a whole number",
    ),
    "completed_by is a list": (
        hostile_task(annotation={"completed_by": [1]}),
        "task 1, annotation 1: completed_by is a list",
    ),
    "created_at is a number": (
        hostile_task(annotation={"created_at": 5}),
        "task 1, annotation 1: created_at is a number, not a string",
    ),
    "lead_time is text": (
        hostile_task(annotation={"lead_time": "abc"}),
        "task 1, annotation 1: lead_time is a string, not a number of seconds",
    ),
    "result is null": (
        hostile_task(annotation={"result": None}),
        "task 1, annotation 1: result is null, not a list of regions",
    ),
    "ground_truth is the string false": (
        hostile_task(annotation={"ground_truth": "false"}),
        "task 1, annotation 1: ground_truth is a string, not true or false",
    ),
    "title is a number": (
        hostile_data(title=5),
        "task 1: data.title is a number, not a string",
    ),
    "task id is a list": (
        hostile_task(id=[1]),
        "task #1: its id is a list, not a Label Studio task id",
    ),
    "updated_at of two types": (
        {
            **hostile_task(),
            "annotations": [
                {"completed_by": 1, "updated_at": "2020-01-01", "result": []},
                {"completed_by": 2, "updated_at": 5, "result": []},
            ],
        },
        "task 1, annotation 2: updated_at is a number, not a string",
    ),
    "a lone surrogate in the text": (
        hostile_data(text=HOSTILE_TEXT + "\ud800"),
        "task 1: data.text is not valid Unicode text",
    ),
    "an article id that is a list": (
        hostile_data(article_id=["a"]),
        "task 1: data.article_id is a list, not a string",
    ),
    "a lone surrogate in the article id": (
        hostile_data(article_id="a\ud800"),
        "task 1: data.article_id is not valid Unicode text",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED_EXPORTS))
def test_import_refuses_a_malformed_export_in_one_line_and_writes_nothing(tmp_path, case):
    task, message = MALFORMED_EXPORTS[case]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task]), encoding="utf-8")  # "\ud800" stays a lone surrogate
    result = run_caught("annotate", "import", str(export), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert message in line and "correct it in the export file" in line
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]  # no out/, no out.partial/


def test_import_reports_a_negative_start_as_outside_the_text():
    report = import_tasks([hostile_task({"start": -3, "end": 11, "text": None})])
    assert report.skipped == [("task 1", "region -3-11 is outside the text")]
    assert report.spans == 0  # not moved to 0-11 ("The corrupt")
    shifted = import_tasks([hostile_task({"start": -3, "end": 4})])  # its words are found
    assert [(s.start, s.text) for s in shifted.articles[0].spans] == [(4, "corrupt")]
    assert shifted.repaired == 1


# --- offsets as Label Studio counts them (code points) -------------------------------------

# The tester's article: five emoji, CRLF line ends, "Traitors" twice after them.
RALLY = (
    "Rally outside parliament 😡😡😡😡😡\r\n\r\n"
    'Protesters chanted "Traitors! Traitors!" as the minister left the building. '
    "The opposition leader called the government a gang of corrupt thieves.\r\n"
)
FIRST = RALLY.index("Traitors")
SECOND = RALLY.index("Traitors", FIRST + 1)


def rally_task(*regions: dict, text: str = RALLY) -> dict:
    return {
        "id": 1,
        "data": {"text": text, "article_id": "rally"},
        "annotations": [{"completed_by": 1, "result": list(regions)}],
    }


def test_export_offsets_are_code_points_as_label_studio_counts_them(model):
    """Label Studio's <Text> counts code points (test_the_label_studio_editor_counts_code_
    points shows it in its editor): the UTF-16 offsets export wrote put the prediction
    'Traitors! Traitors!' on 'ors! Traitors!" as ' after five emoji."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_text

    [task] = export_tasks([analyze(read_text(RALLY, id="rally"), model)])
    assert task["data"]["text"] == RALLY
    regions = task["predictions"][0]["result"]
    assert any(r["value"]["start"] > RALLY.index("😡") for r in regions), regions
    for r in regions:
        assert RALLY[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]


def test_import_takes_code_point_offsets_as_they_are():
    """A reviewer's region on the second 'Traitors' (code points 62-70 in the LF text) was
    read as UTF-16, moved back five and re-anchored on the FIRST 'Traitors'."""
    report = import_tasks([rally_task(region(RALLY, "Traitors", "Name_Calling-Labeling", nth=1))])
    spans = [(s.start, s.end, s.text) for s in report.articles[0].spans]
    assert spans == [(SECOND, SECOND + 8, "Traitors")]
    assert report.repaired == 0 and "re-anchored" not in report.lines()[0]


def test_import_puts_regions_of_earlier_utf16_exports_on_their_words():
    """Earlier versions exported UTF-16 offsets, and Label Studio keeps an accepted
    prediction's offsets and words: such a region is read at its UTF-16 offsets, where its
    words are, even where another occurrence of them is nearer to its offsets."""
    text = RALLY.replace("😡" * 5, "😡" * 8)
    first = text.index("Traitors")
    old = region(text, "Traitors", "Name_Calling-Labeling")
    old["value"].update(start=to_utf16(text, first), end=to_utf16(text, first + 8))
    second = text.index("Traitors", first + 1)  # the occurrence nearest to its offsets
    assert abs(old["value"]["start"] - second) < abs(old["value"]["start"] - first)
    accepted = region(text, "Traitors! Traitors!", "Loaded_Language")
    accepted["value"].update(start=to_utf16(text, first), end=to_utf16(text, first + 19))
    report = import_tasks([rally_task(old, accepted, text=text)])
    spans = [(s.start, s.text, s.technique) for s in report.articles[0].spans]
    assert spans == [
        (first, "Traitors", "Name_Calling-Labeling"),
        (first, "Traitors! Traitors!", "Loaded_Language"),
    ]
    assert report.repaired == 2
    assert report.lines()[0].endswith("2 regions re-anchored on their words")


def test_re_anchored_regions_are_counted_only_where_written():
    """The count included regions of a skipped task and of an annotation not chosen (and a
    region whose only label is not a technique gives no span to count)."""
    exact = region(HOSTILE_TEXT, "corrupt", "Loaded_Language")
    shifted = region(HOSTILE_TEXT, "elite", "Loaded_Language")
    shifted["value"].update(start=shifted["value"]["start"] + 2, end=shifted["value"]["end"] + 2)
    unknown = {**shifted, "value": {**shifted["value"], "labels": ["Not_A_Technique"]}}
    chosen = {"completed_by": 1, "updated_at": "2025-02-01T00:00:00Z", "result": [exact, unknown]}
    older = {"completed_by": 2, "updated_at": "2025-01-01T00:00:00Z", "result": [shifted]}
    tasks = [
        {
            "id": 1,
            "data": {"text": HOSTILE_TEXT, "article_id": "1"},
            "annotations": [chosen, older],
        },
        {  # the same article id, another text: skipped
            "id": 2,
            "data": {"text": HOSTILE_TEXT + " Again.", "article_id": "1"},
            "annotations": [{"completed_by": 1, "result": [shifted]}],
        },
    ]
    report = import_tasks(tasks)
    assert [s.text for s in report.articles[0].spans] == ["corrupt"]
    assert report.repaired == 0 and "re-anchored" not in report.lines()[0]
    tasks[0]["annotations"] = [older, chosen | {"result": [exact, shifted]}]
    report = import_tasks(tasks)
    assert [s.text for s in report.articles[0].spans] == ["corrupt", "elite"]
    assert report.repaired == 1


def test_re_anchored_regions_are_counted_by_place_not_by_object(monkeypatch):
    """The count of a repeated article's chosen annotation was looked up by ``id()`` of the
    annotation: a merge that copies the annotations (as ``model_copy(deep=True)`` does) lost
    it. It goes with the annotation's place in the article, whichever task gave it."""
    import propscope.integrations.labelstudio as labelstudio

    merged = labelstudio._merged

    def copying(earlier, later):
        article, kept = merged(earlier, later)
        return article.model_copy(deep=True), kept

    monkeypatch.setattr(labelstudio, "_merged", copying)
    exact = region(HOSTILE_TEXT, "corrupt", "Loaded_Language")
    shifted = region(HOSTILE_TEXT, "elite", "Loaded_Language")
    shifted["value"].update(start=shifted["value"]["start"] + 2, end=shifted["value"]["end"] + 2)
    older = {"completed_by": 1, "updated_at": "2025-01-01T00:00:00Z", "result": [exact]}
    newer = {"completed_by": 2, "updated_at": "2025-02-01T00:00:00Z", "result": [shifted]}
    data = {"text": HOSTILE_TEXT, "article_id": "1"}
    report = import_tasks(
        [
            {"id": 1, "data": data, "annotations": [older]},
            {"id": 2, "data": data, "annotations": [newer]},
        ]
    )
    assert [s.text for s in report.articles[0].spans] == ["elite"]
    assert report.repaired == 1
    report = import_tasks(
        [
            {"id": 1, "data": data, "annotations": [newer]},
            {"id": 2, "data": data, "annotations": [older]},
        ]
    )
    assert report.repaired == 1  # the earlier task's annotation is kept, and its count


# --- exports propscope cannot use -----------------------------------------------------------

CHOICES = {"type": "choices", "from_name": "sentiment", "to_name": "text", "value": {}}


def test_import_reports_regions_that_are_not_labels():
    """A region of another type (choices, a text area) was dropped unsaid."""
    task = hostile_task()
    task["annotations"][0]["result"] += [CHOICES, CHOICES, {**CHOICES, "type": "textarea"}]
    report = import_tasks([task])
    assert report.spans == 1
    assert report.skipped == [
        (
            "task 1",
            "2 region(s) of type 'choices', not labels: propscope imports technique labels only",
        ),
        (
            "task 1",
            "1 region(s) of type 'textarea', not labels: propscope imports technique labels only",
        ),
    ]


OTHER_PROJECTS = {
    "sentiment": ("I love this product", {**CHOICES, "value": {"choices": ["Positive"]}}),
    "named entities": (
        "John lives in Paris",
        {
            "type": "labels",
            "from_name": "label",
            "to_name": "text",
            "value": {"start": 0, "end": 4, "text": "John", "labels": ["PER"]},
        },
    ),
}


@pytest.mark.parametrize("case", list(OTHER_PROJECTS))
def test_import_refuses_an_export_of_another_project(tmp_path, case):
    """An export of another project was imported as technique-free articles, exit 0."""
    text, other = OTHER_PROJECTS[case]
    task = {
        "id": 1,
        "data": {"text": text},
        "annotations": [{"completed_by": 1, "result": [other]}],
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task, {**task, "id": 2}]), encoding="utf-8")
    result = run_caught("annotate", "import", str(export), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: '{export}' is not an export of a propscope project: no task has "
        "data.article_id and no region is on a propscope technique control ('technique-...'); "
        "export the Label Studio project made from annotate export's label-config.xml and "
        "tasks.json"
    ]
    assert result.stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]
    # tasks of a propscope project without article ids (imported by hand) are ours
    ours = region(text, text.split()[0], "Loaded_Language")
    task["annotations"][0]["result"].append(ours)
    assert import_tasks([task]).spans == 1


def test_import_names_a_json_min_export(tmp_path):
    """Export -> JSON-MIN puts the text at each task's top level: every task was skipped
    with "no text in data.text"."""
    record = {
        "text": HOSTILE_TEXT,
        "article_id": "1",
        "id": 1,
        "technique-manipulative-wording": [
            {"start": 4, "end": 11, "text": "corrupt", "labels": ["Loaded_Language"]}
        ],
        "annotator": 1,
        "annotation_id": 1,
        "created_at": "2025-06-02T09:00:00Z",
        "updated_at": "2025-06-02T09:00:00Z",
        "lead_time": 3.0,
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps([record]), encoding="utf-8")
    result = run_caught("annotate", "import", str(export), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: '{export}' is a JSON-MIN export (the text at each task's top "
        "level, no data or annotations); export the project again with Export → JSON"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_import_refuses_unreadable_exports_and_outputs_in_one_line(tmp_path):
    def refused(export: Path, *options: str) -> str:
        with no_hang(10):
            result = run_caught("annotate", "import", str(export), "-o", str(out), *options)
        assert result.exit_code == 2, result.output
        [line] = error_lines(result)
        return line

    out = tmp_path / "out"
    export = tmp_path / "export.json"
    os.mkfifo(export)  # no writer: opening it would block forever
    assert "is not a regular file" in refused(export)
    export.unlink()
    export.write_text("[" * 100_000, encoding="utf-8")
    assert "is not a Label Studio JSON export: nested too deeply" in refused(export)
    export.write_text('[{"id": ' + "1" * 5000 + "}]", encoding="utf-8")
    assert "is not a Label Studio JSON export" in refused(export)
    export.write_text(json.dumps([hostile_task()]), encoding="utf-8")
    users = tmp_path / "users.json"
    users.write_text('[{"id": 1e400, "email": "a@example.com"}]', encoding="utf-8")
    assert "is not a Label Studio user list" in refused(export, "--users", str(users))
    out.write_text("a file", encoding="utf-8")
    assert "exists and is not a folder" in refused(export)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json", "out", "users.json"]


def test_import_into_a_folder_that_is_not_empty_reports_nothing_before_refusing(tmp_path):
    """The import's summary ("1 tasks: imported 1 articles ...") was printed above the
    refusal of the output folder, and read like a success."""
    export = tmp_path / "export.json"
    export.write_text(json.dumps([hostile_task()]), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_caught("annotate", "import", str(export), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"propscope: error: '{out}' already exists and is not empty; choose a new folder"
    ]
    assert result.stdout == ""
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_write_import_leaves_nothing_behind_when_writing_fails(tmp_path):
    annotation = Annotation(
        annotator="a",
        created_at=None,
        updated_at=None,
        lead_time=None,
        ground_truth=False,
        spans=(),
    )
    article = AnnotatedArticle(
        id="1",
        title=None,
        source=None,
        text="Bad \ud800 text.",
        task_id=1,
        chosen=0,
        annotations=(annotation,),
    )
    with pytest.raises(UnicodeEncodeError):
        write_import(ImportReport(tasks=1, articles=[article]), tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
    mine = tmp_path / "out.partial"  # a user's folder of the name staging once had
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):  # the folders it made on the way go too
        write_import(ImportReport(tasks=1, articles=[article]), tmp_path / "new" / "a" / "out")
    with pytest.raises(UnicodeEncodeError):
        write_import(ImportReport(tasks=1, articles=[article]), tmp_path / "out")
    assert [p.name for p in tmp_path.iterdir()] == ["out.partial"]
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_annotate_refuses_standard_output_for_its_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a folder named "-" would land here
    article = tmp_path / "a.txt"
    article.write_text("The corrupt elite lies.", encoding="utf-8")
    export = run("annotate", "export", str(article), "-o", "-")
    assert export.exit_code == 2 and "--output - (standard output) cannot take" in export.output
    tasks = tmp_path / "tasks.json"
    tasks.write_text("[]", encoding="utf-8")
    imported = run("annotate", "import", str(tasks), "-o", "-")
    assert imported.exit_code == 2 and "give a folder name" in imported.output
    assert not (tmp_path / "-").exists()


# --- a real Label Studio server ---------------------------------------------------------------


def label_studio_python() -> Path | None:
    """The Python of Label Studio's own environment (.ci/run makes .venv/labelstudio)."""
    configured = os.environ.get("PROPSCOPE_LABEL_STUDIO_PYTHON")
    path = Path(configured) if configured else ROOT / ".venv" / "labelstudio" / "bin" / "python"
    return path if path.is_file() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Nothing leaves the machine: no error reports, version checks or analytics.
OFFLINE_ENV = {
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
    "FEATURE_FLAGS_OFFLINE": "true",
    "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
}
TOKEN = "0123456789abcdef0123456789abcdef01234567"
LOGIN = ("reviewer@example.com", "review-pass-123")


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    python = label_studio_python()
    if python is None:
        pytest.skip("Label Studio is not installed (.ci/run installs it in .venv/labelstudio)")
    data = tmp_path_factory.mktemp("labelstudio-data")
    template = python.parent.parent / "template"
    if (template / "label_studio.sqlite3").is_file():  # migrated once by .ci/run
        shutil.copy2(template / "label_studio.sqlite3", data / "label_studio.sqlite3")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data / "server.log", "w", encoding="utf-8")
    started = time.monotonic()
    server = subprocess.Popen(
        [
            str(python.parent / "label-studio"),
            "start",
            "--no-browser",
            "--internal-host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            str(data),
            "--username",
            LOGIN[0],
            "--password",
            LOGIN[1],
            "--user-token",
            TOKEN,
        ],
        env={**os.environ, **OFFLINE_ENV, "LABEL_STUDIO_HOST": url},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        import httpx

        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() - started > 400:
                tail = (data / "server.log").read_text(encoding="utf-8")[-2000:]
                pytest.fail(f"Label Studio did not start on {url}:\n{tail}")
            time.sleep(1)
        print(f"Label Studio up in {time.monotonic() - started:.1f} s")
        yield {"url": url, "python": python, "token": TOKEN, "login": LOGIN}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def drive(label_studio: dict, plan: dict, tmp_path: Path) -> dict:
    """Run tests/labelstudio_driver.py on ``plan``: what the server said, and its export."""
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    driven = subprocess.run(
        [
            str(label_studio["python"]),
            str(ROOT / "tests" / "labelstudio_driver.py"),
            label_studio["url"],
            label_studio["token"],
            str(tmp_path / "plan.json"),
            str(tmp_path / "driven.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **OFFLINE_ENV},
    )
    assert driven.returncode == 0, driven.stderr[-3000:]
    return json.loads((tmp_path / "driven.json").read_text(encoding="utf-8"))


def test_round_trip_through_a_real_label_studio(label_studio, model, example_path, tmp_path):
    # 1. propscope exports the configuration and tasks with its findings as predictions.
    emoji = tmp_path / "articles" / "rally.txt"
    emoji.parent.mkdir()
    with open(emoji, "w", encoding="utf-8", newline="") as handle:
        handle.write(EMOJI_TEXT)
    quiet = tmp_path / "articles" / "quiet.txt"
    quiet.write_text(
        "The city council met on Tuesday evening and approved the budget for the next year.\n\n"
        "The new library will open in the spring, the mayor told reporters after the vote.\n",
        encoding="utf-8",
    )
    out = tmp_path / "ls"
    result = run("annotate", "export", str(example_path), str(emoji.parent), "-o", str(out))
    assert result.exit_code == 0, result.output
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    by_id = {t["data"]["article_id"]: t for t in tasks}
    example_text = by_id["amnesty-pro-armenian-official"]["data"]["text"]
    predicted = by_id["amnesty-pro-armenian-official"]["predictions"][0]
    assert predicted["result"] and predicted["model_version"].startswith("propscope-span-tagger")
    assert all(0 < r["score"] <= 1 for r in predicted["result"])

    # 2. Reviewers correct them in Label Studio (through its API, with its SDK).
    corrected = list(predicted["result"][1:])  # the first finding was wrong
    corrected.append(region(example_text, "fake organization", "Name_Calling-Labeling"))
    plan = {
        "config": (out / "label-config.xml").read_text(encoding="utf-8"),
        "tasks": tasks,
        "corrections": {
            "amnesty-pro-armenian-official": [{"annotator": None, "result": corrected}],
            "rally": [
                {
                    "annotator": "ana@example.com",
                    "result": [region(EMOJI_TEXT, "corrupt traitors", "Name_Calling-Labeling")],
                },
                {
                    "annotator": "ben@example.com",
                    "result": [
                        region(EMOJI_TEXT, "corrupt traitors", "Name_Calling-Labeling"),
                        region(EMOJI_TEXT, "glorious nation", "Flag_Waving"),
                    ],
                },
            ],
            "quiet": [{"annotator": None, "result": [], "cancel": True}],
        },
    }
    server = drive(label_studio, plan, tmp_path)
    assert len(server["imported_task_ids"]) == 3
    assert server["predictions"] == 3  # one prediction a task, kept by the server
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(server["export"]), encoding="utf-8")
    users_file = tmp_path / "users.json"  # a JSON export names annotators by id only
    users_file.write_text(json.dumps(server["users"]), encoding="utf-8")
    assert "<Labels" in server["label_config"]  # the server took our configuration

    # 3. propscope imports the export: SemEval span files and the JSON records.
    imported = tmp_path / "corrected"
    result = run(
        "annotate", "import", str(export_file), "-o", str(imported), "--users", str(users_file)
    )
    assert result.exit_code == 0, result.output
    # the corrected findings and ben's two (docs/annotate.md shows this line)
    spans = len(corrected) + 2
    summary = f"3 tasks: imported 2 articles with {spans} spans, skipped 1, conflicts 1"
    assert summary in result.output
    assert "skipped task" in result.output and "skipped by the annotator" in result.output
    assert "conflict rally: 2 annotations disagree; kept ben@example.com" in result.output
    rows = imported / SPANS_DIR / "amnesty-pro-armenian-official-labels-subtask-3.txt"
    lines = rows.read_text(encoding="utf-8").splitlines()
    expected = []
    for r in corrected:
        start = r["value"]["start"]  # code points both ways
        assert example_text[start : r["value"]["end"]] == r["value"]["text"]
        expected.append((r["value"]["labels"][0], start, start + len(r["value"]["text"])))
    got = [tuple(line.split("\t")[1:]) for line in lines]
    assert sorted(got) == sorted((t, str(s), str(e)) for t, s, e in expected)
    with open(imported / ARTICLES_DIR / "rally.txt", encoding="utf-8", newline="") as f:
        assert f.read() == EMOJI_TEXT  # CRLF and emoji kept
    rally = (imported / SPANS_DIR / "rally-labels-subtask-3.txt").read_text("utf-8")
    start = EMOJI_TEXT.index("glorious nation")
    assert f"rally\tFlag_Waving\t{start}\t{start + 15}" in rally.splitlines()
    records = {r["id"]: r for r in json.loads((imported / "annotations.json").read_text("utf-8"))}
    annotators = [a["annotator"] for a in records["rally"]["annotations"]]
    assert sorted(annotators) == ["ana@example.com", "ben@example.com"]
    assert all(a["created_at"] for a in records["rally"]["annotations"])
    assert records["amnesty-pro-armenian-official"]["annotations"][0]["annotator"] == (
        "reviewer@example.com"
    )
    span = records["rally"]["spans"][0]
    assert EMOJI_TEXT[span["start"] : span["end"]] == span["text"]


# Each region's highlighted words in Label Studio's editor (a region's pieces share a class).
HIGHLIGHTED = """() => {
  const regions = new Map();
  for (const piece of document.querySelectorAll('.lsf-richtext .htx-highlight')) {
    const key = [...piece.classList].find((c) => c.startsWith('htx-highlight-'));
    regions.set(key, (regions.get(key) || '') + piece.textContent);
  }
  return [...regions.values()];
}"""
# The screen box of the nth occurrence of some words in the editor's text.
WORDS_BOX = """([words, nth]) => {
  const root = document.querySelector('.lsf-richtext');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    for (let i = node.data.indexOf(words); i !== -1; i = node.data.indexOf(words, i + 1)) {
      if (seen++ === nth) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + words.length);
        const box = range.getBoundingClientRect();
        return [box.left + 1, box.right - 1, (box.top + box.bottom) / 2];
      }
    }
  }
  return null;
}"""


def test_the_label_studio_editor_counts_code_points(label_studio, model, tmp_path):
    """What Label Studio's editor shows and saves, in a browser: its <Text> counts code
    points, CRLF as two (its RichText domManager keeps ``[...text]``). propscope wrote
    UTF-16 offsets, so after five emoji the prediction 'Traitors! Traitors!' was shown on
    'ors! Traitors!" as ', and a region drawn on the second 'Traitors' was imported on the
    first. Here the predictions are shown on their words, and an accepted prediction and a
    drawn region come back where they were, none re-anchored."""
    from chromium import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    article = tmp_path / "articles" / "rally.txt"
    article.parent.mkdir()
    with open(article, "w", encoding="utf-8", newline="") as handle:
        handle.write(RALLY)
    out = tmp_path / "ls"
    result = run("annotate", "export", str(article), "-o", str(out))
    assert result.exit_code == 0, result.output
    [task] = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    predicted = task["predictions"][0]["result"]
    assert any(r["value"]["start"] > FIRST for r in predicted), predicted  # after the emoji
    plain = {"data": {**task["data"], "article_id": "plain"}}  # a region is drawn on it
    plan = {
        "config": (out / "label-config.xml").read_text(encoding="utf-8"),
        "tasks": [task, plain],
        "corrections": {},
    }
    server = drive(label_studio, plan, tmp_path)
    url, project, ids = label_studio["url"], server["project_id"], server["task_ids"]

    def submit(page) -> None:
        with page.expect_response(
            lambda r: r.request.method == "POST" and "/annotations" in r.url
        ) as response:
            page.get_by_role("button", name="Submit").click()
        assert response.value.ok, response.value.status

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            # Label Studio's editor is a large bundle: on a busy 2-core machine (the whole
            # suite running) it took over playwright's default 30 s to draw the predictions
            context.set_default_timeout(180_000)
            # nothing leaves the machine: a request elsewhere (fonts, telemetry) is refused
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(url + "/") else route.abort()
                ),
            )
            page = context.new_page()
            page.goto(f"{url}/user/login/")
            page.fill("input[name=email]", label_studio["login"][0])
            page.fill("input[name=password]", label_studio["login"][1])
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/user/login" not in u)

            # 1. the predictions are shown on their words; the reviewer accepts them
            page.goto(f"{url}/projects/{project}/data?task={ids['rally']}")
            page.wait_for_function(f"() => ({HIGHLIGHTED})().length >= {len(predicted)}")
            shown = page.evaluate(HIGHLIGHTED)
            assert sorted(shown) == sorted(r["value"]["text"] for r in predicted)
            submit(page)

            # 2. a region drawn on the second "Traitors", with the mouse
            page.goto(f"{url}/projects/{project}/data?task={ids['plain']}")
            label = page.get_by_text("Name_Calling-Labeling", exact=True).first
            label.click()
            left, right, middle = page.evaluate(WORDS_BOX, ["Traitors", 1])
            page.mouse.move(left, middle)
            page.mouse.down()
            page.mouse.move(right, middle, steps=8)
            page.mouse.up()
            page.wait_for_function(f"() => ({HIGHLIGHTED})().length === 1")
            assert page.evaluate(HIGHLIGHTED) == ["Traitors"]
            submit(page)
        finally:
            browser.close()

    import httpx

    export = httpx.get(
        f"{url}/api/projects/{project}/export?exportType=JSON",
        headers={"Authorization": f"Token {label_studio['token']}"},
        timeout=120,
    )
    assert export.status_code == 200, export.text[:500]
    drawn = [
        r["value"]
        for t in export.json()
        if t["data"]["article_id"] == "plain"
        for a in t["annotations"]
        for r in a["result"]
    ]
    assert drawn == [
        {
            "start": SECOND,
            "end": SECOND + 8,
            "text": "Traitors",
            "labels": ["Name_Calling-Labeling"],
        }
    ]
    export_file = tmp_path / "export.json"
    export_file.write_text(export.text, encoding="utf-8")
    result = run("annotate", "import", str(export_file), "-o", str(tmp_path / "corrected"))
    assert result.exit_code == 0, result.output
    assert "imported 2 articles" in result.output and "re-anchored" not in result.output
    rows = tmp_path / "corrected" / SPANS_DIR
    accepted = (rows / "rally-labels-subtask-3.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(accepted) == sorted(
        f"rally\t{r['value']['labels'][0]}\t{r['value']['start']}\t{r['value']['end']}"
        for r in predicted
    )
    plain_rows = (rows / "plain-labels-subtask-3.txt").read_text(encoding="utf-8")
    assert plain_rows == f"plain\tName_Calling-Labeling\t{SECOND}\t{SECOND + 8}\n"


def test_import_shows_annotator_names_escaped(tmp_path):
    """Annotators' names come from the export: their terminal escapes and line breaks reached
    the terminal raw (a window title, a cleared screen, a forged report line)."""
    name = "\x1b]0;pwned\x07\x1b[2J\nfake line: imported 999"
    task = hostile_task()
    task["annotations"] = [
        {**task["annotations"][0], "completed_by": {"id": 1, "email": name}},
        {"completed_by": 2, "result": []},  # the two disagree: a conflict line names both
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task]), encoding="utf-8")
    result = run("annotate", "import", str(export), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\nfake line" in result.output
    assert not any(line.startswith("fake line") for line in result.output.splitlines())


def test_export_refuses_an_output_it_cannot_make_in_one_line(tmp_path, example_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for output in ("afile", "afile/sub"):
        result = run_caught("annotate", "export", str(example_path), "-o", str(tmp_path / output))
        assert result.exit_code == 2, result.output
        [line] = error_lines(result)
        assert "cannot make the export folder" in line


def test_stored_articles_of_one_name_are_told_apart_by_their_store_id(model):
    """`batch corpus/` stores corpus/a/story.txt and corpus/b/story.txt both as "story";
    `annotate export --db` refused such a database ("two articles have the id")."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_text

    analyses = [
        analyze(read_text(f"Title {n}\n\nThe corrupt cowards lied again.", id="story"), model)
        for n in (1, 2)
    ]
    tasks = export_tasks(analyses, [{"store_id": 4}, {"store_id": 9}])
    assert [t["data"]["article_id"] for t in tasks] == ["story", "story-9"]
    with pytest.raises(InputError, match="two articles have the id 'story'"):
        export_tasks(analyses)  # from files, the user can rename them


# --- article ids that name files, and outputs that are not ours to replace ------------------


def test_import_keeps_distinct_ids_of_one_file_name_apart(tmp_path):
    """'report 1', 'report/1' and 'report:1' all name the files 'report-1': import kept the
    first and skipped the others as "the same article id but another text", exit 0."""
    ids = ["report 1", "report/1", "report:1", "Report-1", "report-1-2"]
    tasks = []
    for n, article_id in enumerate(ids, 1):
        task = hostile_data(article_id=article_id, text=f"{HOSTILE_TEXT} Take {n}.")
        tasks.append({**task, "id": n})
    report = import_tasks(tasks)
    assert report.skipped == [] and report.conflicts == []
    files = {a.article_id: a.id for a in report.articles}
    # an id that is free keeps its name wherever it comes ('report-1-2' is the fifth's)
    assert files == {
        "report 1": "report-1",
        "report/1": "report-1-3",
        "report:1": "report-1-4",
        "Report-1": "Report-1-5",  # 'Report-1' and 'report-1' are one file on macOS
        "report-1-2": "report-1-2",
    }
    assert (
        "  article id 'report/1' is written as 'report-1-3' (another article's files are "
        "named 'report-1')" in report.lines()
    )
    write_import(report, tmp_path / "out")
    texts = sorted((tmp_path / "out" / ARTICLES_DIR).iterdir())
    assert len(texts) == 5
    records = json.loads((tmp_path / "out" / "annotations.json").read_text("utf-8"))
    assert [(r["article_id"], r["id"]) for r in records] == list(files.items())


def test_import_shortens_an_id_too_long_for_a_file_name(tmp_path):
    """batch stores an id of 5,000 characters and export writes it; import refused the whole
    annotated file ("data.article_id has 5,000 characters, more than 200")."""
    long_id = "a" * 5000
    tasks = [
        {**hostile_data(article_id=long_id), "id": 1},
        {**hostile_data(article_id="short", text=HOSTILE_TEXT + " Again."), "id": 2},
    ]
    report = import_tasks(tasks)
    [long, short] = report.articles
    assert long.id == "a" * 198 + "-2" and long.article_id == long_id and short.id == "short"
    assert any("(5,000 characters)' is written as" in line for line in report.lines())
    write_import(report, tmp_path / "out")
    assert (tmp_path / "out" / SPANS_DIR / f"{long.id}-labels-subtask-3.txt").exists()


def test_export_tells_apart_stored_articles_while_their_ids_are_taken(model):
    """sc/a/story.txt, sc/b/story-3.txt, sc/c/story.txt are stored as 1, 2, 3: 'story-3' was
    taken, and export refused: "two articles have the id 'story-3'; give them distinct names"."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_text

    analyses = [
        analyze(read_text(f"Title {n}\n\nThe corrupt cowards lied again.", id=i), model)
        for n, i in enumerate(["story", "story-3", "story", "story"], 1)
    ]
    tasks = export_tasks(analyses, [{"store_id": n} for n in (1, 2, 3, 4)])
    ids = [t["data"]["article_id"] for t in tasks]
    assert ids == ["story", "story-3", "story-3-2", "story-4"]


def stored(db: Path, model, ids: list[str]) -> str:
    """A database as `batch` fills it: one short article per id (store ids 1, 2, ...)."""
    from propscope.analysis import analyze
    from propscope.io.readers import read_text
    from propscope.store import Store

    url = f"sqlite:///{db}"
    with Store(url) as store:
        for n, article_id in enumerate(ids, 1):
            article = read_text(
                f"Report {n}\n\nThe corrupt elite lied to us {n} times.", id=article_id
            )
            store.add(article, analyze(article, model))
    return str(db)


def test_stored_ids_survive_the_round_trip(model, tmp_path):
    """Ids that batch stores (two of one name, ids of one file name, 5,000 characters) go
    out with export --db and all come back in with import, each in its own files."""
    ids = ["story", "story-3", "story", "report 1", "report/1", "a" * 5000]
    db = stored(tmp_path / "c.db", model, ids)
    result = run("annotate", "export", "--db", db, "-o", str(tmp_path / "review"))
    assert result.exit_code == 0, result.output
    tasks = json.loads((tmp_path / "review" / "tasks.json").read_text("utf-8"))
    for n, task in enumerate(tasks, 1):  # reviewers accept every finding
        task["id"] = n
        task["annotations"] = [{"completed_by": 1, "result": task["predictions"][0]["result"]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    result = run("annotate", "import", str(export), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "6 tasks: imported 6 articles" in result.output
    records = json.loads((tmp_path / "out" / "annotations.json").read_text("utf-8"))
    assert [r["id"][:12] for r in records] == [
        "story",
        "story-3",
        "story-3-2",
        "report-1",
        "report-1-2",
        "a" * 12,
    ]
    assert len({r["text"] for r in records}) == 6


def test_import_never_removes_a_folder_it_did_not_make(tmp_path, monkeypatch):
    """It staged in 'OUT.partial' and removed whatever was there first: a user's folder of
    that name, the export being imported inside it; with '-o .', '<cwd>.partial'."""
    mine = tmp_path / "review.partial"
    mine.mkdir()
    export = mine / "export.json"
    export.write_text(json.dumps([hostile_task()]), encoding="utf-8")
    (mine / "notes.txt").write_text("weeks of notes", encoding="utf-8")
    result = run("annotate", "import", str(export), "-o", str(tmp_path / "review"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in mine.iterdir()) == ["export.json", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review", "review.partial"]
    assert (tmp_path / "review" / ARTICLES_DIR / "article1.txt").exists()

    work = tmp_path / "work"  # '-o .': an empty current folder is filled, its sibling kept
    work.mkdir()
    (tmp_path / "work.partial").mkdir()
    (tmp_path / "work.partial" / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(work)
    result = run("annotate", "import", str(export), "-o", ".")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in work.iterdir()) == [ANNOTATIONS_FILE, ARTICLES_DIR, SPANS_DIR]
    assert (tmp_path / "work.partial" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "review",
        "review.partial",
        "work",
        "work.partial",
    ]


def test_annotate_export_refuses_to_write_over_its_database(model, tmp_path):
    """'annotate export --db rv/tasks.json -o rv' replaced the database with the task list,
    exit 0; so did a hard link or a symbolic link to it named tasks.json."""
    (tmp_path / "rv").mkdir()
    db = stored(tmp_path / "rv" / "tasks.json", model, ["one"])
    before = Path(db).read_bytes()
    (tmp_path / "hard").mkdir()
    os.link(db, tmp_path / "hard" / "tasks.json")
    (tmp_path / "soft").mkdir()
    (tmp_path / "soft" / "label-config.xml").symlink_to(db)
    for output in ("rv", "hard", "soft"):
        result = run_caught("annotate", "export", "--db", db, "-o", str(tmp_path / output))
        assert result.exit_code == 2, result.output
        [line] = error_lines(result)
        assert "is also the database" in line and "choose another --output" in line
    assert Path(db).read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "rv").iterdir()) == ["tasks.json"]
