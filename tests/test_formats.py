"""Readers and writers of the official SemEval files: layout, tolerance, errors, round trips."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from propscope.errors import FormatError, InputError
from propscope.io.formats import (
    FLCRow,
    SIRow,
    ST1Row,
    ST2Row,
    ST3Row,
    ST3TemplateRow,
    read_flc,
    read_si,
    read_st1,
    read_st2,
    read_st3,
    read_st3_template,
    write_flc,
    write_si,
    write_st1,
    write_st2,
    write_st3,
    write_st3_template,
)
from propscope.taxonomy import PTC_TECHNIQUES, TECHNIQUES

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PTC = DATA / "ptc_semeval2020_task11"
SEMEVAL23 = DATA / "semeval2023_task3"


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


def write_bytes(tmp_path: Path, content: str, name: str = "labels.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    return path


# ------------------------------------------------------------------------------- reading


def test_read_si_rows_crlf_and_trailing_empty_lines(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "111\t10\t20\r\n222\t0\t5\r\n\r\n\n")
    assert read_si(path) == [SIRow("111", 10, 20), SIRow("222", 0, 5)]


def test_read_si_tolerates_bom_and_spaces_around_fields(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "\ufeff111\t 10 \t20\n")
    assert read_si(path) == [SIRow("111", 10, 20)]


def test_read_flc_rows_and_template_placeholder(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "1\tName_Calling,Labeling\t3\t9\n1\t?\t12\t30\n")
    assert read_flc(path) == [
        FLCRow("1", "Name_Calling,Labeling", 3, 9),
        FLCRow("1", "?", 12, 30),
    ]


def test_read_flc_validates_labels_with_a_suggestion(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "1\tLoaded_Language\t3\t9\n1\tLoaded_language\t12\t30\n")
    with pytest.raises(FormatError) as error:
        read_flc(path, labels=PTC_TECHNIQUES)
    message = str(error.value)
    assert f"{path} line 2" in message
    assert "'Loaded_language'" in message
    assert "did you mean 'Loaded_Language'?" in message


def test_read_flc_directory_reads_matching_files_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    write_bytes(folder, "2\tDoubt\t0\t4\n", "article2.task-flc-tc.labels")
    write_bytes(folder, "1\tSlogans\t5\t8\n1\tDoubt\t0\t4\n", "article1.task-flc-tc.labels")
    write_bytes(folder, "", "article3.task-flc-tc.labels")  # an article without spans
    write_bytes(folder, "not\ta\tlabel\tfile\n", "README.txt")  # ignored: not *.labels
    assert read_flc(folder) == [
        FLCRow("1", "Slogans", 5, 8),
        FLCRow("1", "Doubt", 0, 4),
        FLCRow("2", "Doubt", 0, 4),
    ]


def test_read_flc_directory_without_label_files_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no files matching '\*\.labels'"):
        read_flc(tmp_path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_si(tmp_path / "absent.labels")


def test_read_st1_with_labels(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "1\topinion\n2\tsatire\n")
    genres = ("reporting", "opinion", "satire")
    assert read_st1(path, labels=genres) == [ST1Row("1", "opinion"), ST1Row("2", "satire")]
    bad = write_bytes(tmp_path, "1\topinion\n2\tnews\n", "bad.txt")
    with pytest.raises(FormatError, match=r"bad\.txt line 2: unknown label 'news'; expected one"):
        read_st1(bad, labels=genres)


def test_read_st2_empty_list_with_and_without_trailing_tab(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "1\tEconomic,Political\n2\t\n3\n")
    assert read_st2(path) == [
        ST2Row("1", ("Economic", "Political")),
        ST2Row("2", ()),
        ST2Row("3", ()),
    ]


def test_read_st2_stray_comma_is_an_error(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "1\tEconomic,,Political\n")
    with pytest.raises(FormatError, match=r"line 1: empty frame name in 'Economic,,Political'"):
        read_st2(path)


def test_read_st3_rows_and_validation(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "9\t1\t\n9\t3\tDoubt,Slogans\r\n")
    assert read_st3(path, labels=TECHNIQUES) == [
        ST3Row("9", 1, ()),
        ST3Row("9", 3, ("Doubt", "Slogans")),
    ]
    bad = write_bytes(tmp_path, "9\t1\t\n9\t0\tDoubt\n", "zero.txt")
    with pytest.raises(FormatError, match=r"zero\.txt line 2: paragraph id 0"):
        read_st3(bad)


def test_read_st3_template_splits_on_the_first_two_tabs_only(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "9\t1\tTitle\n9\t3\tA\ttabbed  paragraph\u2028still one line\n")
    assert read_st3_template(path) == [
        ST3TemplateRow("9", 1, "Title"),
        ST3TemplateRow("9", 3, "A\ttabbed  paragraph\u2028still one line"),
    ]


@pytest.mark.parametrize(
    ("content", "reader", "expected"),
    [
        ("1\t10\n", read_si, r"line 1: expected 3 TAB-separated fields .* found 2"),
        ("1\t10\t20\n1 10 20\n", read_si, r"line 2: expected 3 TAB-separated fields"),
        ("1\t10\tx\n", read_si, r"line 1: end 'x' is not a non-negative integer"),
        ("1\t-5\t3\n", read_si, r"line 1: start '-5' is not a non-negative integer"),
        ("1\t2.5\t3\n", read_si, r"line 1: start '2\.5' is not a non-negative integer"),
        ("1\t20\t10\n", read_si, r"line 1: start 20 is not before end 10"),
        ("1\t7\t7\n", read_si, r"line 1: start 7 is not before end 7"),
        ("\t1\t2\n", read_si, r"line 1: the article id \(first field\) is empty"),
        ("1\t1\t2\n\n1\t3\t4\n", read_si, r"line 2 is empty; remove it"),
        ("1\tDoubt\t3\n", read_flc, r"line 1: expected 4 TAB-separated fields"),
        ("1\t\t3\t4\n", read_flc, r"line 1: the technique is empty"),
        ("1\topinion\textra\n", read_st1, r"line 1: expected 2 TAB-separated fields"),
        ("1\tx\tDoubt\n", read_st3, r"line 1: paragraph id 'x' is not a non-negative integer"),
        ("1\t1\n", read_st3_template, r"line 1: expected 3 TAB-separated fields"),
        # Python's int() itself refuses 4,300 digits with a traceback.
        ("1\t0\t" + "9" * 5000 + "\n", read_si, r"line 1: end '9{20}\.\.\.' is larger than"),
        ("1\t1\t" + "9" * 16 + "\n", read_si, r"line 1: end '9{16}' is larger than any text"),
    ],
)
def test_malformed_lines_name_file_line_and_problem(
    tmp_path: Path, content: str, reader, expected: str
) -> None:
    path = write_bytes(tmp_path, content, "bad.labels")
    with pytest.raises(FormatError, match="^" + re.escape(str(path)) + " " + expected):
        reader(path)


def test_error_message_is_one_line(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "1\t1\t2\n1\tfoo\tbar\tbaz\n", "bad.labels")
    with pytest.raises(FormatError) as error:
        read_si(path)
    assert "\n" not in str(error.value)
    assert str(error.value).startswith(f"{path} line 2: expected 3 TAB-separated fields")


def test_non_utf8_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.labels"
    path.write_bytes("1\tcaf\xe9\n".encode("latin-1"))
    with pytest.raises(FormatError, match="not UTF-8"):
        read_st1(path)


# ------------------------------------------------------------------------------- writing


def test_writers_write_the_official_layout() -> None:
    cases = [
        (write_si, [SIRow("1", 10, 20)], "1\t10\t20\n"),
        (write_flc, [FLCRow("1", "?", 3, 9)], "1\t?\t3\t9\n"),
        (write_st1, [ST1Row("1", "satire")], "1\tsatire\n"),
        (
            write_st2,
            [ST2Row("1", ("Economic", "Political")), ST2Row("2", ())],
            "1\tEconomic,Political\n2\t\n",
        ),
        (write_st3, [ST3Row("1", 3, ()), ST3Row("1", 5, ("Doubt",))], "1\t3\t\n1\t5\tDoubt\n"),
        (write_st3_template, [ST3TemplateRow("1", 3, "a\tb")], "1\t3\ta\tb\n"),
    ]
    for writer, rows, expected in cases:
        stream = io.StringIO()
        writer(rows, stream)
        assert stream.getvalue() == expected, writer.__name__


def test_writers_accept_plain_tuples() -> None:
    stream = io.StringIO()
    write_si([("1", 0, 4), ("2", 5, 9)], stream)
    assert stream.getvalue() == "1\t0\t4\n2\t5\t9\n"


def test_label_file_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pred.si"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    with pytest.raises(InputError, match="is not a regular file"):
        read_si(fifo)


def test_writers_refuse_fields_that_would_break_the_layout() -> None:
    # the readers refuse whitespace in ids ("my article" from "my article.txt")
    with pytest.raises(FormatError, match="allow no whitespace in ids; rename"):
        write_si([SIRow("my article", 1, 2)], io.StringIO())
    with pytest.raises(FormatError, match="TAB/line break"):
        write_st1([ST1Row("1\t2", "opinion")], io.StringIO())
    with pytest.raises(FormatError, match="comma-separated"):
        write_st2([ST2Row("1", ("a,b",))], io.StringIO())
    with pytest.raises(FormatError, match="line break"):
        write_st3_template([ST3TemplateRow("1", 1, "two\nlines")], io.StringIO())


@pytest.mark.parametrize(
    ("writer", "reader", "rows"),
    [
        (write_si, read_si, [SIRow("1", 0, 4), SIRow("1", 2, 9), SIRow("2", 100, 101)]),
        (write_flc, read_flc, [FLCRow("1", "Doubt", 0, 4), FLCRow("3", "?", 7, 8)]),
        (write_st1, read_st1, [ST1Row("1", "opinion"), ST1Row("2", "reporting")]),
        (write_st2, read_st2, [ST2Row("1", ()), ST2Row("2", ("Morality", "Political"))]),
        (write_st3, read_st3, [ST3Row("1", 1, ()), ST3Row("1", 3, ("Doubt", "Repetition"))]),
        (
            write_st3_template,
            read_st3_template,
            [ST3TemplateRow("1", 1, "Title"), ST3TemplateRow("1", 3, " spaced\ttext ")],
        ),
    ],
)
def test_round_trip_write_then_read(tmp_path: Path, writer, reader, rows) -> None:
    path = tmp_path / "rows.txt"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer(rows, stream)
    assert reader(path) == rows


# ------------------------------------------------------------------------------- real data


@pytest.mark.parametrize(
    ("relative", "reader", "writer", "count"),
    [
        ("ptc_semeval2020_task11/train-task-si.labels", read_si, write_si, 5468),
        ("ptc_semeval2020_task11/train-task-flc-tc.labels", read_flc, write_flc, 6128),
        ("semeval2023_task3/en/train-labels-subtask-1.txt", read_st1, write_st1, 351),
        ("semeval2023_task3/en/train-labels-subtask-2.txt", read_st2, write_st2, 351),
        ("semeval2023_task3/en/train-labels-subtask-3.txt", read_st3, write_st3, 7895),
        ("semeval2023_task3/fr/train-labels-subtask-3.txt", read_st3, write_st3, 1751),
        (
            "semeval2023_task3/en/train-labels-subtask-3.template",
            read_st3_template,
            write_st3_template,
            7895,
        ),
    ],
)
def test_real_files_round_trip_byte_for_byte(relative: str, reader, writer, count: int) -> None:
    path = needs(DATA / relative)
    rows = reader(path)
    assert len(rows) == count
    stream = io.StringIO(newline="")
    writer(rows, stream)
    assert stream.getvalue().encode("utf-8") == path.read_bytes()


def test_real_per_article_folders_equal_the_concatenated_files() -> None:
    needs(PTC)
    assert read_si(PTC / "train-labels-task-si") == read_si(PTC / "train-task-si.labels")
    assert read_flc(PTC / "train-labels-task-flc-tc", labels=PTC_TECHNIQUES) == read_flc(
        PTC / "train-task-flc-tc.labels"
    )


def test_real_st3_per_article_folder_and_spans() -> None:
    english = needs(SEMEVAL23 / "en")
    merged = read_st3(english / "train-labels-subtask-3.txt", labels=TECHNIQUES)
    per_article = read_st3(english / "train-labels-subtask-3", labels=TECHNIQUES)
    assert sorted(per_article) == sorted(merged)
    templates = read_st3_template(english / "train-labels-subtask-3")
    assert sorted((r.article_id, r.paragraph_id) for r in templates) == sorted(
        (r.article_id, r.paragraph_id) for r in merged
    )
    spans = read_flc(english / "train-labels-subtask-3-spans", labels=TECHNIQUES, pattern="*.txt")
    assert len(spans) == 6136


def test_real_file_with_a_corrupted_line_names_that_line(tmp_path: Path) -> None:
    source = needs(PTC / "train-task-flc-tc.labels")
    lines = source.read_text(encoding="utf-8").split("\n")
    lines[99] = lines[99].replace("\t", " ", 1)
    path = write_bytes(tmp_path, "\n".join(lines), "corrupted.labels")
    with pytest.raises(FormatError, match=r"corrupted\.labels line 100: expected 4 TAB-separated"):
        read_flc(path, labels=PTC_TECHNIQUES)


def test_read_si_leaves_out_the_technique_of_joined_span_files(tmp_path: Path) -> None:
    """Round 14: SemEval-2023 span files joined with cat were refused by SI ("expected 3
    TAB-separated fields") while TC and FLC read them."""
    from propscope.io.formats import read_si

    joined = tmp_path / "fr.spans"
    joined.write_text("1\tDoubt\t10\t20\n2\tLoaded_Language\t5\t9\n", encoding="utf-8")
    assert [(r.article_id, r.start, r.end) for r in read_si(joined)] == [
        ("1", 10, 20),
        ("2", 5, 9),
    ]
    plain = tmp_path / "si.labels"
    plain.write_text("1\t10\t20\n", encoding="utf-8")
    assert [(r.article_id, r.start, r.end) for r in read_si(plain)] == [("1", 10, 20)]
