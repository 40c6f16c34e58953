"""Analyses as SemEval submission rows: SI merged, FLC per technique, ST3 per line."""

from __future__ import annotations

from builders import analysis, at, span

from propscope.io.formats import FLCRow, SIRow, ST3Row
from propscope.io.submission import flc_rows, si_rows, st3_rows

TEXT = "Title here\n\nThe corrupt regime lies. The corrupt regime lies again.\nCalm line.\n"


def _example():
    a, b = at(TEXT, "corrupt regime lies")
    c, d = at(TEXT, "regime lies again")
    return analysis(
        TEXT,
        [
            span(TEXT, a, b, "Loaded_Language"),
            span(TEXT, c, d, "Repetition"),
            span(TEXT, *at(TEXT, "corrupt regime"), "Name_Calling-Labeling"),
        ],
    )


def test_si_merges_overlaps_only():
    rows = si_rows([_example()])
    first = at(TEXT, "corrupt regime lies")
    second = at(TEXT, "regime lies again")
    # "corrupt regime" lies inside the first span and merges into it; the second stays apart
    assert rows == [SIRow("a1", *first), SIRow("a1", *second)]


def test_flc_in_both_schemes():
    ptc = flc_rows([_example()], "ptc14")
    assert {r.technique for r in ptc} == {"Loaded_Language", "Repetition", "Name_Calling,Labeling"}
    semeval = flc_rows([_example()], "semeval2023")
    assert FLCRow("a1", "Name_Calling-Labeling", *at(TEXT, "corrupt regime")) in semeval
    assert len(semeval) == 3


def test_flc_merges_same_technique_overlaps():
    a, b = at(TEXT, "corrupt regime lies")
    c, d = at(TEXT, "regime lies. The")
    merged = analysis(TEXT, [span(TEXT, a, b), span(TEXT, c, d)])
    assert flc_rows([merged]) == [FLCRow("a1", "Loaded_Language", a, d)]


def test_st3_every_line_with_techniques():
    rows = st3_rows([_example()])
    assert [r.paragraph_id for r in rows] == [1, 3, 4]
    assert rows[1] == ST3Row("a1", 3, ("Loaded_Language", "Name_Calling-Labeling", "Repetition"))
    assert rows[2].techniques == ()
