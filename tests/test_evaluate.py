"""Official metrics: hand-computed cases for every edge case of METRICS.md, and real data."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from propscope.errors import FormatError, InputError
from propscope.evaluate import (
    Score,
    evaluate_files,
    score_flc,
    score_si,
    score_st1,
    score_st2,
    score_st3,
    score_tc,
)
from propscope.io.formats import (
    FLCRow,
    SIRow,
    ST1Row,
    ST2Row,
    ST3Row,
    read_flc,
    read_si,
    read_st2,
    read_st3,
)
from propscope.taxonomy import PTC_TECHNIQUES, TECHNIQUES

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PTC = DATA / "ptc_semeval2020_task11"
SEMEVAL23 = DATA / "semeval2023_task3"

approx = pytest.approx


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


def si(*spans: tuple[str, int, int]) -> list[SIRow]:
    return [SIRow(*span) for span in spans]


def flc(*rows: tuple[str, str, int, int]) -> list[FLCRow]:
    return [FLCRow(*row) for row in rows]


# ------------------------------------------------------------------------------- SI


def test_si_worked_example_of_metrics_md() -> None:
    score = score_si(si(("a", 10, 20)), si(("a", 15, 30)))
    assert score.precision == approx(5 / 15)
    assert score.recall == approx(5 / 10)
    assert score.f1 == approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))  # 0.4
    assert (score.support, score.predicted, score.task) == (1, 1, "si")


def test_si_one_prediction_over_two_gold_spans() -> None:
    score = score_si(si(("a", 0, 10), ("a", 20, 30)), si(("a", 5, 25)))
    assert score.precision == approx((5 + 5) / 20)
    assert score.recall == approx((5 / 10 + 5 / 10) / 2)


def test_si_overlapping_gold_spans_are_merged() -> None:
    gold = si(("a", 0, 10), ("a", 5, 15), ("a", 12, 20))  # one union: [0, 20)
    score = score_si(gold, si(("a", 10, 20)))
    assert score.support == 1
    assert score.precision == approx(1.0)
    assert score.recall == approx(10 / 20)  # unmerged it would be (0 + 5/10 + 8/8) / 3


def test_si_touching_gold_spans_are_not_merged() -> None:
    gold = si(("a", 0, 10), ("a", 10, 40))
    score = score_si(gold, si(("a", 0, 10)))
    assert score.support == 2
    assert score.recall == approx((1 + 0) / 2)  # merged it would be 10/40
    assert score.precision == approx(1.0)


def test_si_touching_predictions_are_not_an_overlap() -> None:
    score = score_si(si(("a", 0, 40)), si(("a", 0, 10), ("a", 10, 40)), merge_pred=False)
    assert score.predicted == 2
    assert score.precision == approx(1.0)
    assert score.recall == approx(1.0)


@pytest.mark.parametrize("merge", [True, False])
def test_si_a_span_of_no_characters_shares_none_and_still_counts(merge: bool) -> None:
    # METRICS.md: a span is the set {start, ..., end-1}; [5, 5) is empty, shares no
    # character with [0, 10), so it is neither merged into it nor an overlap (it was merged
    # away, or refused as overlapping). The readers refuse such rows; the scorer API took them.
    score = score_si(si(("a", 0, 10)), si(("a", 0, 10), ("a", 5, 5)), merge_pred=merge)
    assert (score.predicted, score.support) == (2, 1)
    assert (score.precision, score.recall) == (approx(0.5), approx(1.0))
    score = score_si(si(("a", 0, 10), ("a", 5, 5)), si(("a", 0, 10)))
    assert (score.predicted, score.support) == (1, 2)
    assert (score.precision, score.recall) == (approx(1.0), approx(0.5))


def test_si_overlapping_predictions_merged_or_rejected() -> None:
    gold = si(("a", 0, 10))
    pred = si(("a", 0, 6), ("a", 4, 10))
    merged = score_si(gold, pred, merge_pred=True)
    assert merged.predicted == 1
    assert (merged.precision, merged.recall, merged.f1) == approx((1.0, 1.0, 1.0))
    with pytest.raises(FormatError, match=r"\[0, 6\) and \[4, 10\) of article a overlap"):
        score_si(gold, pred, merge_pred=False)
    with pytest.raises(FormatError, match="overlap"):  # identical duplicates overlap too
        score_si(gold, si(("a", 0, 10), ("a", 0, 10)), merge_pred=False)


def test_si_gold_articles_without_predictions_count_in_recall() -> None:
    score = score_si(si(("a", 0, 10), ("b", 0, 10), ("b", 20, 30)), si(("a", 0, 10)))
    assert score.support == 3
    assert score.precision == approx(1.0)
    assert score.recall == approx(1 / 3)
    assert score.f1 == approx(0.5)


def test_si_spans_of_different_articles_are_not_compared() -> None:
    score = score_si(si(("a", 0, 10)), si(("a", 50, 60), ("b", 0, 10)))
    assert score.predicted == 2
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_si_empty_cases() -> None:
    both = score_si([], [])
    assert (both.precision, both.recall, both.f1) == (0.0, 0.0, 1.0)
    no_pred = score_si(si(("a", 0, 10)), [])
    assert (no_pred.precision, no_pred.recall, no_pred.f1) == (0.0, 0.0, 0.0)
    no_gold = score_si([], si(("a", 0, 10)))
    assert (no_gold.precision, no_gold.recall, no_gold.f1) == (0.0, 0.0, 0.0)


# ------------------------------------------------------------------------------- FLC


def test_flc_counts_overlap_only_between_same_techniques() -> None:
    gold = flc(("a", "Doubt", 10, 20), ("a", "Slogans", 10, 20))
    pred = flc(("a", "Doubt", 15, 30), ("a", "Repetition", 10, 20))
    score = score_flc(gold, pred)
    assert score.precision == approx((5 / 15 + 0) / 2)
    assert score.recall == approx((5 / 10 + 0) / 2)
    assert score.per_label["Doubt"] == approx(
        {"precision": 5 / 15, "recall": 0.5, "f1": 0.4, "support": 1}
    )
    assert score.per_label["Slogans"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert score.per_label["Repetition"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 0,
    }


def test_flc_merges_only_same_technique_overlaps() -> None:
    same = score_flc(flc(("a", "Doubt", 0, 10), ("a", "Doubt", 5, 15)), [])
    assert same.support == 1
    different = score_flc(flc(("a", "Doubt", 0, 10), ("a", "Slogans", 5, 15)), [])
    assert different.support == 2
    pred = flc(("a", "Doubt", 0, 10), ("a", "Slogans", 5, 15))
    assert score_flc(pred, pred, merge_pred=False).f1 == 1.0  # different techniques may overlap
    with pytest.raises(FormatError, match="of article a with technique Doubt overlap"):
        score_flc(pred, flc(("a", "Doubt", 0, 10), ("a", "Doubt", 9, 12)), merge_pred=False)


def test_flc_per_label_over_a_given_label_list() -> None:
    gold = flc(("a", "Doubt", 0, 10))
    score = score_flc(gold, gold, labels=PTC_TECHNIQUES)
    assert list(score.per_label) == list(PTC_TECHNIQUES)
    assert score.per_label["Doubt"]["f1"] == 1.0
    # a technique in neither gold nor prediction: the SI convention (|S| = |T| = 0 -> F1 = 1)
    assert score.per_label["Slogans"] == {"precision": 0.0, "recall": 0.0, "f1": 1.0, "support": 0}
    with pytest.raises(FormatError, match="unknown technique 'Flag_Waving'"):
        score_flc(gold, flc(("a", "Flag_Waving", 0, 10)), labels=PTC_TECHNIQUES)


# ------------------------------------------------------------------------------- TC


def test_tc_micro_f1_is_accuracy_with_one_vs_rest_per_label() -> None:
    gold = flc(("a", "A", 0, 5), ("a", "A", 6, 9), ("a", "B", 10, 12), ("b", "C", 1, 2))
    pred = flc(("b", "C", 1, 2), ("a", "B", 10, 12), ("a", "A", 0, 5), ("a", "B", 6, 9))
    score = score_tc(gold, pred)
    assert (score.precision, score.recall, score.f1, score.accuracy) == (0.75,) * 4
    assert (score.support, score.predicted) == (4, 4)
    # A: TP 1, FP 0, FN 1; B: TP 1, FP 1, FN 0; C: TP 1
    assert score.per_label["A"] == approx(
        {"precision": 1, "recall": 0.5, "f1": 2 / 3, "support": 2}
    )
    assert score.per_label["B"] == approx(
        {"precision": 0.5, "recall": 1, "f1": 2 / 3, "support": 1}
    )
    assert score.per_label["C"] == approx({"precision": 1, "recall": 1, "f1": 1, "support": 1})


def test_tc_duplicate_spans_use_maximal_agreement() -> None:
    gold = flc(("a", "A", 0, 5), ("a", "B", 0, 5), ("a", "C", 0, 5))
    swapped = flc(("a", "C", 0, 5), ("a", "A", 0, 5), ("a", "B", 0, 5))
    assert score_tc(gold, swapped).f1 == 1.0  # row-by-row pairing would give 0
    repeated = flc(("a", "B", 0, 5), ("a", "B", 0, 5), ("a", "A", 0, 5))
    assert score_tc(gold, repeated).f1 == approx(2 / 3)


@pytest.mark.parametrize(
    ("pred", "message"),
    [
        (flc(("a", "A", 0, 5)), r"no row for 1 gold article\(s\), e\.g\. article b"),
        (
            flc(("a", "A", 0, 5), ("a", "A", 0, 5), ("b", "A", 1, 2), ("c", "A", 1, 2)),
            r"rows for 1 article\(s\) not in the gold file, e\.g\. article c",
        ),
        (
            flc(("a", "A", 0, 5), ("a", "A", 0, 5), ("a", "A", 6, 8), ("b", "A", 1, 2)),
            r"article a: the prediction has 3 rows, the gold file 2",
        ),
        (
            flc(("a", "A", 0, 5), ("a", "A", 0, 6), ("b", "A", 1, 2)),
            r"article a: predicted span \[0, 6\) is not a gold span",
        ),
        (flc(("a", "A", 0, 5), ("a", "?", 0, 5), ("b", "A", 1, 2)), r"has technique '\?'"),
    ],
)
def test_tc_rejects_predictions_that_do_not_match_the_template(pred, message: str) -> None:
    gold = flc(("a", "A", 0, 5), ("a", "B", 0, 5), ("b", "C", 1, 2))
    with pytest.raises(FormatError, match=message):
        score_tc(gold, pred)


def test_tc_label_list_is_enforced_and_reported() -> None:
    gold = flc(("a", "Doubt", 0, 5))
    score = score_tc(gold, flc(("a", "Slogans", 0, 5)), labels=PTC_TECHNIQUES)
    assert score.f1 == 0.0
    assert len(score.per_label) == 14
    assert score.per_label["Doubt"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    with pytest.raises(FormatError, match="unknown technique 'doubt'"):
        score_tc(gold, flc(("a", "doubt", 0, 5)), labels=PTC_TECHNIQUES)


# ------------------------------------------------------------------------------- ST1


def st1(*pairs: tuple[str, str]) -> list[ST1Row]:
    return [ST1Row(*pair) for pair in pairs]


def test_st1_macro_f1_and_accuracy() -> None:
    gold = st1(("1", "opinion"), ("2", "opinion"), ("3", "reporting"), ("4", "satire"))
    pred = st1(("4", "opinion"), ("3", "reporting"), ("2", "reporting"), ("1", "opinion"))
    score = score_st1(gold, pred)
    # opinion P 1/2 R 1/2 F 1/2; reporting P 1/2 R 1 F 2/3; satire (never predicted) 0
    assert score.macro_f1 == approx((1 / 2 + 2 / 3 + 0) / 3)
    assert score.f1 == score.macro_f1
    assert score.precision == approx((1 / 2 + 1 / 2 + 0) / 3)
    assert score.recall == approx((1 / 2 + 1 + 0) / 3)
    assert score.accuracy == 0.5
    assert score.per_label["satire"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}


def test_st1_class_predicted_but_absent_from_gold_counts_zero() -> None:
    score = score_st1(
        st1(("1", "opinion"), ("2", "opinion")), st1(("1", "opinion"), ("2", "satire"))
    )
    # opinion F1 = 2/3, satire F1 = 0; reporting is in neither and is left out
    assert score.macro_f1 == approx(1 / 3)
    assert set(score.per_label) == {"opinion", "satire"}


def test_st1_single_class_everywhere_is_perfect() -> None:
    gold = st1(("1", "opinion"), ("2", "opinion"))
    assert score_st1(gold, gold).macro_f1 == 1.0  # absent classes do not pull it down


@pytest.mark.parametrize(
    ("pred", "message"),
    [
        (st1(("1", "opinion")), r"no row for 1 gold article\(s\), e\.g\. article 2"),
        (st1(("1", "opinion"), ("2", "opinion"), ("3", "satire")), "not in the gold file"),
        (st1(("1", "opinion"), ("1", "satire"), ("2", "opinion")), "two rows for article 1"),
        (st1(("1", "opinion"), ("2", "news")), "label 'news' of article 2 is not one of"),
    ],
)
def test_st1_rejects_mismatched_predictions(pred, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        score_st1(st1(("1", "opinion"), ("2", "reporting")), pred)


def test_st1_matches_scikit_learn_on_random_labels() -> None:
    f1_score = pytest.importorskip("sklearn.metrics").f1_score
    rng = random.Random(7)
    genres = ["reporting", "opinion", "satire"]
    for _ in range(20):
        n = rng.randint(1, 12)
        gold = [rng.choice(genres[: rng.randint(1, 3)]) for _ in range(n)]
        pred = [rng.choice(genres) for _ in range(n)]
        score = score_st1(
            [ST1Row(str(i), label) for i, label in enumerate(gold)],
            [ST1Row(str(i), label) for i, label in enumerate(pred)],
        )
        expected = f1_score(gold, pred, average="macro", zero_division=0)
        assert score.macro_f1 == approx(expected)


# ------------------------------------------------------------------------------- ST2 / ST3


def st2(*pairs: tuple[str, tuple[str, ...]]) -> list[ST2Row]:
    return [ST2Row(*pair) for pair in pairs]


def test_multilabel_micro_and_macro_by_hand() -> None:
    gold = st2(("1", ("a", "b")), ("2", ()))
    pred = st2(("1", ("a",)), ("2", ("c",)))
    score = score_st2(gold, pred, labels=["a", "b", "c"])
    # TP 1 (a), FP 1 (c), FN 1 (b)
    assert (score.precision, score.recall, score.f1) == approx((0.5, 0.5, 0.5))
    assert score.per_label["a"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert score.per_label["b"] == {"precision": 1.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert score.per_label["c"] == {"precision": 0.0, "recall": 1.0, "f1": 0.0, "support": 0}
    assert score.macro_f1 == approx(1 / 3)
    with_absent = score_st2(gold, pred, labels=["a", "b", "c", "d"])
    assert with_absent.macro_f1 == approx(2 / 4)  # d: in neither -> F1 = 1
    assert (score.support, score.predicted, score.accuracy) == (2, 2, None)


def test_multilabel_zero_division_is_one() -> None:
    empty = st2(("1", ()), ("2", ()))
    nothing = score_st2(empty, empty)
    assert (nothing.precision, nothing.recall, nothing.f1, nothing.macro_f1) == (1.0,) * 4
    missed = score_st2(st2(("1", ("Economic",)), ("2", ())), empty)
    assert (missed.precision, missed.recall, missed.f1) == (1.0, 0.0, 0.0)
    assert missed.macro_f1 == approx(13 / 14)
    invented = score_st2(empty, st2(("1", ("Economic",)), ("2", ())))
    assert (invented.precision, invented.recall, invented.f1) == (0.0, 1.0, 0.0)


def test_st2_default_labels_are_the_14_frames() -> None:
    gold = st2(("1", ("Economic", "Political")))
    score = score_st2(gold, gold)
    assert len(score.per_label) == 14
    assert (score.f1, score.macro_f1) == (1.0, 1.0)
    with pytest.raises(FormatError, match="prediction frame 'Economy' of article 1"):
        score_st2(gold, st2(("1", ("Economy",))))


def test_st2_duplicate_labels_in_a_row_count_once() -> None:
    gold = st2(("1", ("Economic",)))
    assert score_st2(gold, st2(("1", ("Economic", "Economic")))).f1 == 1.0


def test_multilabel_matches_scikit_learn_on_random_sets() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    labels = ["a", "b", "c", "d", "e"]
    rng = random.Random(11)
    for _ in range(20):
        n = rng.randint(1, 8)
        gold = [[int(rng.random() < 0.3) for _ in labels] for _ in range(n)]
        pred = [[int(rng.random() < 0.3) for _ in labels] for _ in range(n)]

        def rows(matrix: list[list[int]]) -> list[ST2Row]:
            return [
                ST2Row(str(i), tuple(name for name, on in zip(labels, row, strict=True) if on))
                for i, row in enumerate(matrix)
            ]

        score = score_st2(rows(gold), rows(pred), labels=labels)
        for average, value in (("micro", score.f1), ("macro", score.macro_f1)):
            expected = metrics.f1_score(gold, pred, average=average, zero_division=1)
            assert value == approx(expected), average
        assert score.precision == approx(
            metrics.precision_score(gold, pred, average="micro", zero_division=1)
        )
        assert score.recall == approx(
            metrics.recall_score(gold, pred, average="micro", zero_division=1)
        )


def test_st3_keys_are_article_and_paragraph() -> None:
    gold = [ST3Row("1", 1, ()), ST3Row("1", 3, ("Doubt",)), ST3Row("2", 1, ("Slogans",))]
    pred = [
        ST3Row("2", 1, ("Slogans",)),
        ST3Row("1", 3, ("Doubt", "Repetition")),
        ST3Row("1", 1, ()),
    ]
    score = score_st3(gold, pred)
    assert (score.precision, score.recall) == approx((2 / 3, 1.0))
    assert score.f1 == approx(2 * 2 / (2 * 2 + 1 + 0))
    assert len(score.per_label) == 23
    assert score.macro_f1 == approx(22 / 23)  # Repetition: predicted, never gold -> 0
    shifted = [ST3Row("1", 1, ()), ST3Row("1", 2, ("Doubt",)), ST3Row("2", 1, ("Slogans",))]
    with pytest.raises(FormatError, match="no row for 1 gold paragraph.*article 1 paragraph 3"):
        score_st3(gold, shifted)
    with pytest.raises(FormatError, match="two rows for article 1 paragraph 1"):
        score_st3(gold, [*pred, ST3Row("1", 1, ("Doubt",))])


# ------------------------------------------------------------------------------- Score, files


def test_score_is_frozen_and_serialisable() -> None:
    score = score_si(si(("a", 10, 20)), si(("a", 15, 30)))
    with pytest.raises(ValidationError):
        score.f1 = 1.0  # type: ignore[misc]
    data = score.to_dict()
    assert data["task"] == "si" and data["support"] == 1 and data["macro_f1"] is None
    assert Score(**data) == score


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_evaluate_files_for_every_task(tmp_path: Path) -> None:
    cases = {
        "si": ("a\t10\t20\n", "a\t15\t30\n", 0.4),
        "flc": ("a\tDoubt\t10\t20\n", "a\tDoubt\t15\t30\n", 0.4),
        "tc": ("a\tDoubt\t1\t5\na\tSlogans\t1\t5\n", "a\tSlogans\t1\t5\na\tDoubt\t1\t5\n", 1.0),
        "st1": ("1\topinion\n2\tsatire\n", "1\topinion\n2\topinion\n", (2 / 3 + 0) / 2),
        "st2": ("1\tEconomic,Political\n2\t\n", "1\tPolitical\n2\t\n", 2 / 3),
        "st3": ("1\t1\t\n1\t3\tDoubt\n", "1\t1\tDoubt\n1\t3\tDoubt\n", 2 / 3),
    }
    for task, (gold, pred, expected) in cases.items():
        gold_path = write(tmp_path / f"{task}-gold.txt", gold)
        pred_path = write(tmp_path / f"{task}-pred.txt", pred)
        score = evaluate_files(task, gold_path, pred_path)
        assert (score.task, score.f1) == (task, approx(expected)), task


def test_evaluate_files_detects_the_technique_list(tmp_path: Path) -> None:
    ptc = write(tmp_path / "ptc.labels", "a\tName_Calling,Labeling\t0\t5\n")
    semeval = write(tmp_path / "semeval.labels", "a\tName_Calling-Labeling\t0\t5\n")
    shared = write(tmp_path / "shared.labels", "a\tDoubt\t0\t5\n")
    flag = write(tmp_path / "flag.labels", "a\tFlag_Waving\t0\t5\n")
    assert len(evaluate_files("tc", ptc, ptc).per_label) == 14
    assert len(evaluate_files("flc", semeval, semeval).per_label) == 23
    # gold names common to both lists: the prediction decides, PTC on a tie
    assert len(evaluate_files("tc", shared, flag).per_label) == 23
    assert len(evaluate_files("tc", shared, shared).per_label) == 14
    with pytest.raises(FormatError, match="unknown technique 'Flag_Waving'"):
        evaluate_files("tc", shared, flag, taxonomy="ptc14")
    assert len(evaluate_files("tc", shared, shared, taxonomy="semeval2023").per_label) == 23
    assert len(evaluate_files("tc", shared, shared, taxonomy="ptc").per_label) == 14
    with pytest.raises(FormatError, match="unknown technique 'Name_Calling,Labeling'"):
        evaluate_files("flc", semeval, ptc)
    mixed = write(tmp_path / "mixed.labels", "a\tFlag_Waving\t0\t5\na\tFlag-Waving\t6\t9\n")
    with pytest.raises(FormatError, match="must not mix the two"):
        evaluate_files("flc", mixed, mixed)


def test_evaluate_files_errors_name_the_file_and_line(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.txt", "1\tEconomic\n2\t\n")
    pred = write(tmp_path / "pred.txt", "1\tEconomic\n2\tEconomics\n")
    with pytest.raises(FormatError, match=r"pred\.txt line 2: unknown frame 'Economics'"):
        evaluate_files("st2", gold, pred)
    with pytest.raises(InputError, match="unknown task 'st4'"):
        evaluate_files("st4", gold, pred)
    labels = write(tmp_path / "t.labels", "a\tDoubt\t0\t5\n")
    with pytest.raises(InputError, match="unknown taxonomy 'x'"):
        evaluate_files("tc", labels, labels, taxonomy="x")


# ------------------------------------------------------------------------------- real data


def test_real_si_gold_against_itself() -> None:
    gold = read_si(needs(PTC / "train-task-si.labels"))
    score = score_si(gold, gold)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.support == 5397  # 5,468 rows; the overlapping ones merge at scoring time
    with pytest.raises(FormatError, match="overlap"):
        score_si(gold, gold, merge_pred=False)


def test_real_si_gold_equals_merged_tc_spans() -> None:
    gold = read_si(needs(PTC / "train-task-si.labels"))
    spans = [
        SIRow(r.article_id, r.start, r.end) for r in read_flc(PTC / "train-task-flc-tc.labels")
    ]
    assert score_si(gold, spans).f1 == 1.0


def test_real_flc_and_tc_gold_against_themselves() -> None:
    gold = read_flc(needs(PTC / "train-task-flc-tc.labels"), labels=PTC_TECHNIQUES)
    flc_score = score_flc(gold, gold, labels=PTC_TECHNIQUES)
    assert (flc_score.f1, flc_score.support) == (1.0, 6126)  # two same-technique overlaps merge
    tc_score = score_tc(gold, gold, labels=PTC_TECHNIQUES)
    assert (tc_score.f1, tc_score.support) == (1.0, 6128)
    assert tc_score.per_label["Loaded_Language"]["support"] == 2123
    assert (
        evaluate_files("flc", PTC / "train-labels-task-flc-tc", PTC / "train-task-flc-tc.labels").f1
        == 1.0
    )


def test_real_tc_label_shuffle_within_duplicate_spans_keeps_full_score() -> None:
    gold = read_flc(needs(PTC / "train-task-flc-tc.labels"))
    assert score_tc(gold, list(reversed(gold))).f1 == 1.0
    first = gold[0]
    changed = [first._replace(technique="Doubt" if first.technique != "Doubt" else "Slogans")]
    assert score_tc(gold, changed + gold[1:]).f1 == approx(6127 / 6128)


def test_real_span_scoring_is_fast() -> None:
    si_gold = read_si(needs(PTC / "train-task-si.labels"))
    flc_gold = read_flc(PTC / "train-task-flc-tc.labels")
    shifted = [row._replace(start=row.start + 3, end=row.end + 3) for row in flc_gold]
    start = time.perf_counter()
    score_si(si_gold, [SIRow(r.article_id, r.start, r.end) for r in shifted])
    score_flc(flc_gold, shifted)
    assert time.perf_counter() - start < 1.0


def test_real_st3_against_itself_and_against_nothing() -> None:
    gold = read_st3(needs(SEMEVAL23 / "en" / "train-labels-subtask-3.txt"), labels=TECHNIQUES)
    score = score_st3(gold, gold)
    assert (score.precision, score.recall, score.f1, score.macro_f1) == (1.0,) * 4
    assert score.support == 7895
    assert sum(int(v["support"]) for v in score.per_label.values()) == 4984
    empty = score_st3(gold, [row._replace(techniques=()) for row in gold])
    assert (empty.precision, empty.recall, empty.f1) == (1.0, 0.0, 0.0)
    assert empty.macro_f1 == approx(4 / 23)  # the 4 techniques English never uses count 1


def test_frame_and_genre_lists_match_the_official_files() -> None:
    frames_file = needs(SEMEVAL23 / "frames_subtask2.txt")
    frames = frames_file.read_text(encoding="utf-8").split()
    gold = [ST2Row("1", ())]
    assert list(score_st2(gold, gold).per_label) == frames
    labels = [ST1Row(str(i), g) for i, g in enumerate(["reporting", "opinion", "satire"])]
    assert set(score_st1(labels, labels).per_label) == {"reporting", "opinion", "satire"}


def test_real_st1_st2_against_themselves() -> None:
    english = needs(SEMEVAL23 / "en")
    st1_score = evaluate_files(
        "st1", english / "train-labels-subtask-1.txt", english / "train-labels-subtask-1.txt"
    )
    assert (st1_score.f1, st1_score.accuracy, st1_score.support) == (1.0, 1.0, 351)
    assert st1_score.per_label["satire"]["support"] == 2
    frames = read_st2(english / "train-labels-subtask-2.txt")
    assert score_st2(frames, frames).per_label["Political"]["support"] == 181
