"""Hostile round 8: the correct-and-retrain loop (`annotate import`, `train --extra-data`).

The held-out check compares texts, not only ids; corrections in another language are not
trained into the English model; techniques the corrections teach become trained; the model
files are readable by others; a Ctrl-C or a SIGKILL never costs the previous model nor
leaves 50 MB in /tmp; Label Studio timestamps are compared as moments; imported file names
read back as the ids of their span rows. The slow parts (fitting, the probe refit) are
stubbed: no test trains.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hostile import error_lines, no_hang, run

from propscope import corpora, retrain
from propscope import train as train_module
from propscope.corpora import LabelledArticle, split_of
from propscope.errors import InputError
from propscope.integrations.labelstudio import (
    ANNOTATIONS_FILE,
    ARTICLES_DIR,
    SPANS_DIR,
    import_tasks,
    write_import,
)
from propscope.io.readers import article_id_of

ENGLISH = (
    "The corrupt elite lies to you every single day. They want you to forget who pays for "
    "their parties, and they laugh at the workers who built this country with their hands.\n"
)
FRENCH = (
    "Les élites corrompues vous mentent tous les jours. Elles veulent que vous oubliiez qui "
    "paie leurs fêtes, et elles se moquent des ouvriers qui ont construit ce pays de leurs "
    "mains. Le gouvernement ne dit jamais la vérité aux citoyens.\n"
)


def ids_in(bucket: str, prefix: str, n: int) -> list[str]:
    """``n`` ids that `split_of` puts in ``bucket`` ("train", or "held": tune or test)."""
    out, i = [], 0
    while len(out) < n:
        i += 1
        if (split_of(f"{prefix}{i}") == "train") == (bucket == "train"):
            out.append(f"{prefix}{i}")
    return out


def write_layout(root: Path, articles, annotations: list[dict] | None = None) -> Path:
    """An import folder: (file stem, row id, text, spans) per article."""
    (root / ARTICLES_DIR).mkdir(parents=True)
    (root / SPANS_DIR).mkdir()
    for stem, row_id, text, spans in articles:
        with open(root / ARTICLES_DIR / f"{stem}.txt", "w", encoding="utf-8", newline="") as f:
            f.write(text)
        rows = "".join(f"{row_id}\t{t}\t{s}\t{e}\n" for t, s, e in spans)
        (root / SPANS_DIR / f"{stem}-labels-subtask-3.txt").write_text(rows, encoding="utf-8")
    if annotations is not None:
        (root / ANNOTATIONS_FILE).write_text(json.dumps(annotations), encoding="utf-8")
    return root


def english_text(n: int) -> str:
    return f"Story {n}. " + ENGLISH


class Recorder:
    """The stubbed run: what was trained on, what the check scored."""

    def __init__(self) -> None:
        self.trained: list[LabelledArticle] = []
        self.checked: list[list[LabelledArticle]] = []
        self.tuned_from: list[Path] = []


def stub_finetune(monkeypatch, shared_train=(), shared_tune=None) -> Recorder:
    """No fit, no probe refit, a chosen shared corpus; the check and the windows recorded."""
    seen = Recorder()
    tune = (
        list(shared_tune)
        if shared_tune is not None
        else [LabelledArticle("900", "They lie.\n", (("Doubt", 5, 8),))]
    )
    monkeypatch.setattr(
        corpora,
        "load_semeval2023",
        lambda *a, split, **k: list(shared_train) if split == "train" else tune,
    )
    monkeypatch.setattr(train_module, "fit", lambda *a, **k: None)
    real_windows = train_module.build_windows

    def windows(articles, tokenizer, techniques):
        seen.trained = list(articles)
        return real_windows(articles[:1], tokenizer, techniques)

    monkeypatch.setattr(train_module, "build_windows", windows)

    def check(tagger, articles):
        seen.checked.append(list(articles))
        return retrain.Check(0.5, 0.5)

    monkeypatch.setattr(retrain, "held_out_check", check)
    monkeypatch.setattr(retrain, "_paragraph_probe", lambda *a, **k: {"refitted": False})
    return seen


# --- 1. the held-out check is not fooled by copies -----------------------------------------


def test_copies_of_check_articles_are_never_trained_and_scored(tmp_path, monkeypatch):
    """Corrected articles copying the shared tune (check) articles were trained on and then
    scored as held out (FLC +0.11 against +0.014 without copies); one article under two ids
    (one in the train bucket, one held out) was both."""
    tune = [LabelledArticle(f"90{i}", english_text(90 + i), (("Doubt", 10, 20),)) for i in range(3)]
    shared_train = [LabelledArticle("800", english_text(80), (("Doubt", 10, 20),))]
    trained_ids, held_ids = ids_in("train", "copy", 4), ids_in("held", "copy", 1)
    articles = [  # two copies of the check set (whitespace changed in one), renamed
        (f"article{trained_ids[0]}", trained_ids[0], tune[0].text, [("Doubt", 10, 20)]),
        (f"article{trained_ids[1]}", trained_ids[1], tune[1].text.replace(" ", "  "), []),
        # one text under two ids, one of them held out
        (f"article{trained_ids[2]}", trained_ids[2], english_text(1), [("Doubt", 10, 20)]),
        (f"article{held_ids[0]}", held_ids[0], english_text(1), [("Doubt", 10, 20)]),
        # a copy of a shared training article
        (f"article{trained_ids[3]}", trained_ids[3], shared_train[0].text, []),
    ]
    corrected = write_layout(tmp_path / "corrected", articles)
    seen = stub_finetune(monkeypatch, shared_train, tune)
    lines: list[str] = []
    with no_hang(120):
        result = retrain.finetune_model(corrected, tmp_path / "model", log=lines.append)
    assert result["written"]

    def key(text: str) -> str:  # what a reader would call the same article
        return " ".join(text.split())

    trained = {key(a.text) for a in seen.trained}
    for checked in seen.checked:
        assert checked and not trained & {key(a.text) for a in checked}
    shared_checked = [a.id for a in seen.checked[0] if a.id.startswith("90")]
    assert shared_checked == ["902"]  # the copied tune articles dropped
    pair = {trained_ids[2], held_ids[0]}  # one text, two ids: on one side
    assert pair <= {a.id for a in seen.checked[0]} or pair <= {a.id for a in seen.trained}
    assert "800" not in {a.id for a in seen.trained}  # the correction replaces it
    assert any("dropped 2 shared tune (check) article(s)" in line for line in lines)
    assert any("have one text: all" in line for line in lines)


# --- 2. other languages are not trained into the English model ------------------------------


def test_import_records_the_tasks_language_and_retrain_reads_it(tmp_path):
    tasks = [
        {"id": 1, "data": {"text": ENGLISH, "article_id": "en1", "language": "en"}},
        {"id": 2, "data": {"text": FRENCH, "article_id": "fr1", "language": "FR"}},
        {"id": 3, "data": {"text": ENGLISH, "article_id": "nolang"}},
    ]
    for task in tasks:
        task["annotations"] = [{"result": [], "completed_by": 1}]
    report = import_tasks(tasks)
    assert [a.language for a in report.articles] == ["en", "fr", None]
    write_import(report, tmp_path / "imp")
    records = json.loads((tmp_path / "imp" / ANNOTATIONS_FILE).read_text("utf-8"))
    assert [r["language"] for r in records] == ["en", "fr", None]
    langs = {a.id: a.lang for a in retrain.load_corrected(tmp_path / "imp")}
    assert langs == {"en1": "en", "fr1": "fr", "nolang": "en"}  # the last one detected


def test_retrain_skips_other_languages_with_a_count(tmp_path, monkeypatch):
    corrected = write_layout(
        tmp_path / "corrected",
        [
            ("article1", "1", ENGLISH, [("Doubt", 4, 11)]),
            ("article2", "2", FRENCH, [("Doubt", 4, 11)]),  # no language recorded: detected
        ],
    )
    seen = stub_finetune(monkeypatch)
    lines: list[str] = []
    with no_hang(120):
        retrain.finetune_model(corrected, tmp_path / "model", log=lines.append)
    assert {a.text for a in seen.trained} == {ENGLISH}
    assert any("skipped 1 corrected article(s) not in English (French 1)" in line for line in lines)
    meta = json.loads((tmp_path / "model" / "propscope.json").read_text(encoding="utf-8"))
    assert meta["finetuned"]["skipped_not_english"] == 1


def test_train_refuses_corrections_with_no_english_in_one_line_before_loading(
    tmp_path, monkeypatch
):
    """`train --extra-data semeval2023_task3/fr` fine-tuned the English model on French."""
    from propscope.models import files, tagger

    def no_model(*args, **kwargs):
        raise AssertionError("a model was loaded for corrections it cannot train on")

    monkeypatch.setattr(files, "load_model_dir", no_model)
    monkeypatch.setattr(tagger.SpanTagger, "load", no_model)
    corrected = write_layout(tmp_path / "corrected", [("article1", "1", FRENCH, [])])
    with no_hang(30):
        result = run("train", "--extra-data", str(corrected), "--output", str(tmp_path / "m"))
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "no English article among the 1 corrected ones (French 1)" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrected"]


# --- 3. techniques the corrections teach become trained -------------------------------------


def test_corrected_techniques_with_enough_spans_become_trained(tmp_path, monkeypatch):
    """Appeal_to_Values corrections were trained but stayed masked: the base model's
    trained_techniques were copied. Too few spans are named in the output."""
    n = retrain.MIN_NEW_TECHNIQUE_SPANS
    text = " ".join(f"Value {i} matters." for i in range(n + 3)) + "\n"
    spans = [("Appeal_to_Values", s, s + 8) for s in (text.index(f"Value {i} ") for i in range(n))]
    spans += [("Appeal_to_Time", text.index("Value 12 "), text.index("Value 12 ") + 8)]
    [train_id] = ids_in("train", "v", 1)
    corrected = write_layout(
        tmp_path / "corrected",
        [(f"{train_id}", train_id, text, spans)],
        [{"id": train_id, "language": "en"}],
    )
    stub_finetune(monkeypatch)
    lines: list[str] = []
    with no_hang(120):
        retrain.finetune_model(corrected, tmp_path / "model", log=lines.append)
    meta = json.loads((tmp_path / "model" / "propscope.json").read_text(encoding="utf-8"))
    assert "Appeal_to_Values" in meta["trained_techniques"]
    assert "Appeal_to_Time" not in meta["trained_techniques"]
    assert meta["finetuned"]["techniques_added"] == ["Appeal_to_Values"]
    assert any(line.startswith("now trained") and "Appeal_to_Values (10" in line for line in lines)
    assert any("stay untrained" in line and "Appeal_to_Time (1 spans)" in line for line in lines)
    from propscope.models.tagger import SpanTagger

    known = dict(zip(meta["techniques"], SpanTagger.load(tmp_path / "model")._known, strict=True))
    assert known["Appeal_to_Values"] and not known["Appeal_to_Time"]


# --- 4. model files readable by others --------------------------------------------------------


def test_a_saved_model_directory_has_the_umasks_modes(tmp_path):
    """weights.safetensors was 0600 (safetensors' save_file), the other files 0644."""
    from propscope.models.files import load_model_dir, save_model_dir
    from propscope.models.tagger import SHIPPED_MODEL

    net, tokenizer, meta = load_model_dir(SHIPPED_MODEL)
    old = os.umask(0o022)
    try:
        save_model_dir(net, tokenizer, meta, tmp_path / "m")
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "m").iterdir()}
    assert modes["weights.safetensors"] == 0o644
    assert set(modes.values()) == {0o644}


# --- 6. a Ctrl-C while the new model is swapped in ------------------------------------------


def test_ctrl_c_between_the_renames_keeps_the_previous_model(tmp_path, monkeypatch):
    """install_model_dir rolled back only on OSError, and finetune's cleanup then removed
    work/old: the user's previous model."""
    corrected = write_layout(tmp_path / "corrected", [("article1", "1", ENGLISH, [])])
    out = tmp_path / "model"
    out.mkdir()
    (out / "propscope.json").write_text('{"name": "previous"}\n')
    (out / "articles").mkdir()
    (out / "articles" / "kept.json").write_text("1\n")
    stub_finetune(monkeypatch)
    real_rename = pathlib.Path.rename

    def rename(self, target):
        if Path(target) == out and self.name == "model":  # built.rename(output)
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(pathlib.Path, "rename", rename)
    with no_hang(120), pytest.raises(KeyboardInterrupt):
        retrain.finetune_model(corrected, out, log=lambda line: None)
    assert json.loads((out / "propscope.json").read_text()) == {"name": "previous"}
    assert (out / "articles" / "kept.json").read_text() == "1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrected", "model"]


def test_cleanup_after_an_interruption_puts_a_moved_aside_model_back(tmp_path):
    """Interrupted after the previous model was moved aside (work/old): the staging folder's
    removal puts it back instead of deleting it."""
    out = tmp_path / "model"
    work = train_module.model_staging(out)
    (work / "old").mkdir()
    (work / "old" / "propscope.json").write_text("{}\n")
    train_module.discard_staging(work, out)
    assert (out / "propscope.json").read_text() == "{}\n" and not work.exists()


# --- 7. nothing left in /tmp; a killed run's staging is removed by the next ----------------


def test_finetune_stages_beside_the_output_not_in_tmp(tmp_path, monkeypatch):
    """A SIGKILL after fine-tuning left ~52 MB in /tmp/propscope-finetune-*, never cleaned."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    corrected = write_layout(tmp_path / "corrected", [("article1", "1", ENGLISH, [])])
    out = tmp_path / "models" / "mine"
    seen = stub_finetune(monkeypatch)
    during: list[list[str]] = []
    from propscope.models import tagger

    real_load = tagger.SpanTagger.load.__func__

    def load(cls, path, *a, **k):
        during.append(sorted(p.name for p in temp.iterdir()))
        during.append(sorted(p.name for p in out.parent.glob("*")))
        return real_load(cls, path, *a, **k)

    monkeypatch.setattr(tagger.SpanTagger, "load", classmethod(load))
    with no_hang(120):
        retrain.finetune_model(corrected, out, log=lambda line: None)
    assert len(seen.checked) == 2
    # the second load is the fine-tuned model, built in a hidden folder beside --output
    in_tmp, beside = during[2], during[3]
    assert in_tmp == []
    assert any(name.startswith(".mine.finetune-") for name in beside)
    assert sorted(p.name for p in out.parent.iterdir()) == ["mine"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_run_removes_a_killed_runs_staging_and_keeps_a_live_ones(tmp_path):
    import socket

    out = tmp_path / "mine"
    killed = train_module.model_staging(out, "finetune")
    (killed / "model").mkdir()
    (killed / "model" / "weights.safetensors").write_bytes(b"52 MB")
    owner = f"{socket.gethostname()} {dead_pid()}\n"
    (killed / train_module.STAGING_OWNER).write_text(owner)
    swapping = train_module.model_staging(out)  # killed with the previous model moved aside
    (swapping / "old").mkdir()
    (swapping / "old" / "propscope.json").write_text('{"name": "previous"}\n')
    (swapping / train_module.STAGING_OWNER).write_text(owner)
    live = train_module.model_staging(out, "finetune")  # this process: still running
    user = tmp_path / ".mine.finetune-notours"  # not a name a run makes
    user.mkdir()
    lines: list[str] = []
    train_module.remove_stale_staging(out, lines.append)
    assert not killed.exists() and not swapping.exists()
    assert live.is_dir() and user.is_dir()
    assert json.loads((out / "propscope.json").read_text()) == {"name": "previous"}
    assert len(lines) == 2 and any("previous model was put back" in line for line in lines)


# --- 8. Label Studio timestamps and drafts ---------------------------------------------------


def test_the_latest_annotation_wins_by_time_not_by_string(tmp_path):
    """'…30Z' sorted after '…30.500000Z' as strings: the older annotation was kept."""
    text = "They lie and they cheat.\n"

    def annotation(user, when, words):
        start = text.index(words)
        return {
            "completed_by": user,
            "updated_at": when,
            "created_at": when,
            "result": [
                {
                    "type": "labels",
                    "to_name": "text",
                    "from_name": "technique-manipulative-wording",
                    "value": {
                        "start": start,
                        "end": start + len(words),
                        "text": words,
                        "labels": ["Loaded_Language"],
                    },
                }
            ],
        }

    task = {
        "id": 1,
        "data": {"text": text, "article_id": "a"},
        "annotations": [
            annotation(1, "2025-01-05T10:20:30Z", "lie"),
            annotation(2, "2025-01-05T10:20:30.500000Z", "cheat"),
        ],
    }
    report = import_tasks([task], {1: "old@x", 2: "new@x"})
    [article] = report.articles
    assert article.annotations[article.chosen].annotator == "new@x"
    assert [s.text for s in article.spans] == ["cheat"]


def test_a_task_with_only_a_draft_is_reported_as_a_draft():
    task = {
        "id": 11,
        "data": {"text": "They lie.", "article_id": "d"},
        "annotations": [],
        "drafts": [{"id": 1, "result": [], "created_at": "2025-01-05T10:20:30Z"}],
        "predictions": [{"result": []}],
    }
    report = import_tasks([task])
    assert report.skipped == [("task 11", "only a draft (saved in Label Studio, never submitted)")]


# --- 9. one rule turns file names into ids ----------------------------------------------------


def test_imported_files_read_back_as_the_ids_of_their_rows(tmp_path):
    """`annotate import` wrote articletask7.txt for task 7; analyze read it as 'articletask7'
    while the gold rows said 'task7', and evaluate scored F1 0."""
    from propscope.io.readers import read_inputs

    texts = [f"Text {n}: the corrupt elite lies.\n" for n in range(4)]
    tasks = [
        {"id": 7, "data": {"text": texts[0]}},  # no article_id: 'task7'
        {"id": 8, "data": {"text": texts[1], "article_id": "5"}},
        {"id": 9, "data": {"text": texts[2], "article_id": "article5"}},  # would read as '5'
        {"id": 10, "data": {"text": texts[3], "article_id": "story"}},
    ]
    for task in tasks:
        task["annotations"] = [
            {
                "result": [
                    {
                        "type": "labels",
                        "to_name": "text",
                        "from_name": "technique-attack-on-reputation",
                        "value": {"start": 9, "end": 16, "text": "the cor", "labels": ["Doubt"]},
                    }
                ]
            }
        ]
    report = import_tasks(tasks)
    assert any(
        "article id 'article5' is written as 'article5-2' (a file named 'article5.txt' is read "
        "as article '5')" in line
        for line in report.lines()
    )
    write_import(report, tmp_path / "imp")
    rows_by_file = {}
    for text_file in sorted((tmp_path / "imp" / ARTICLES_DIR).iterdir()):
        span_file = tmp_path / "imp" / SPANS_DIR / f"{text_file.stem}-labels-subtask-3.txt"
        [row] = span_file.read_text(encoding="utf-8").splitlines()
        rows_by_file[article_id_of(text_file)] = row.split("\t")[0]
    assert rows_by_file == {
        "task7": "task7",
        "5": "5",
        "article5-2": "article5-2",
        "story": "story",
    }
    analysed = {a.id for a in read_inputs([str(tmp_path / "imp" / ARTICLES_DIR)])}
    assert analysed == set(rows_by_file)
    assert {a.id for a in retrain.load_corrected(tmp_path / "imp")} == set(rows_by_file)


def test_an_earlier_versions_import_folder_still_trains(tmp_path):
    """articletask7.txt with rows keyed task7 (written before the one rule)."""
    old = write_layout(tmp_path / "old", [("articletask7", "task7", ENGLISH, [("Doubt", 4, 11)])])
    [article] = retrain.load_corrected(old)
    assert article.id == "task7" and article.spans == (("Doubt", 4, 11),)
    wrong = write_layout(tmp_path / "wrong", [("story", "other", ENGLISH, [("Doubt", 4, 11)])])
    with pytest.raises(InputError, match="the row is for article 'other'"):
        retrain.load_corrected(wrong)


def test_shared_data_ids_follow_the_same_rule(tmp_path):
    """corpora read 'articlex9.txt' as 'x9', analyze as 'articlex9'."""
    root = tmp_path / "semeval2023_task3" / "en"
    write_layout(
        root,
        [("article12", "12", ENGLISH, [("Doubt", 4, 11)]), ("articlex9", "articlex9", ENGLISH, [])],
    )
    (root / SPANS_DIR / "articlex9-labels-subtask-3.txt").write_text("articlex9\tDoubt\t4\t11\n")
    articles = {a.id: a.spans for a in corpora.load_semeval2023("en", tmp_path)}
    assert articles == {"12": (("Doubt", 4, 11),), "articlex9": (("Doubt", 4, 11),)}
