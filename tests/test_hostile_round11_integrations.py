"""Round 11 of hostile testing of the integrations: a fine-tuned model's identity and batch
re-analysis, Label Studio user lists, spaCy spans of findings on the same tokens, and the
retrain's --output that holds a fine-tuned model."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from builders import analysis, span
from hostile import error_lines, no_hang, run

HOSTILE_TEXT = "The corrupt, treacherous regime lied again. These criminals must be stopped now!"


def export_file(tmp_path: Path, completed_by=1) -> Path:
    """A Label Studio JSON export of one task annotated by user ``completed_by``."""
    value = {"start": 4, "end": 11, "text": "corrupt", "labels": ["Loaded_Language"]}
    task = {
        "id": 1,
        "data": {"text": HOSTILE_TEXT, "article_id": "1"},
        "annotations": [
            {"completed_by": completed_by, "result": [{"type": "labels", "value": value}]}
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


# --- 2. a user list that is not one -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            '{"detail":"Invalid token."}',
            "is Label Studio's error reply 'Invalid token.', not a user",
        ),
        ('{"error": "x"}', "is a JSON object (keys 'error'), not a Label Studio user list"),
        ('"users"', "is a string, not a Label Studio user list"),
        ('[{"email": "a@example.com"}]', "its user #1 has no id"),
    ],
)
def test_a_file_that_is_not_a_user_list_is_refused_and_nothing_is_written(tmp_path, content, said):
    export = export_file(tmp_path)
    users = tmp_path / "users.json"
    users.write_text(content, encoding="utf-8")
    with no_hang(20):
        result = run(
            "annotate", "import", str(export), "-o", str(tmp_path / "out"), "--users", str(users)
        )
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert said in line and "api/users" in line
    assert not (tmp_path / "out").exists()


def test_a_user_list_naming_none_of_the_annotators_is_warned_of(tmp_path):
    export = export_file(tmp_path, completed_by=7)
    users = tmp_path / "users.json"
    users.write_text('[{"id": 1, "email": "ana@example.com"}]', encoding="utf-8")
    with no_hang(20):
        result = run(
            "annotate", "import", str(export), "-o", str(tmp_path / "out"), "--users", str(users)
        )
    assert result.exit_code == 0, result.output
    [line] = error_lines(result)[:1]
    assert (
        line.startswith("propscope: warning:") and "names none of the export's annotators" in line
    )
    assert "user ids 7" in line
    records = json.loads((tmp_path / "out" / "annotations.json").read_text(encoding="utf-8"))
    assert [a["annotator"] for a in records[0]["annotations"]] == ["user 7"]
    # a list that names the annotator: no warning, the email
    users.write_text('[{"id": 7, "email": "gil@example.com"}]', encoding="utf-8")
    result = run(
        "annotate", "import", str(export), "-o", str(tmp_path / "out2"), "--users", str(users)
    )
    assert result.exit_code == 0 and "warning" not in result.stderr
    records = json.loads((tmp_path / "out2" / "annotations.json").read_text(encoding="utf-8"))
    assert [a["annotator"] for a in records[0]["annotations"]] == ["gil@example.com"]


# --- 3. spaCy: each span its own finding -------------------------------------------------------


def test_two_findings_of_one_technique_on_the_same_tokens_keep_their_own_details():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    from propscope.integrations.spacy_component import PropscopeComponent

    nlp = spacy.blank("en")
    component = PropscopeComponent.__new__(PropscopeComponent)  # no model: set_annotations only
    component.spans_key = "propscope"
    i = HOSTILE_TEXT.index("corrupt")
    whole = span(HOSTILE_TEXT, i, i + 7, confidence=0.9)
    inside = span(HOSTILE_TEXT, i + 3, i + 7, confidence=0.2)  # starts inside the token
    for findings in ([whole, inside], [inside, whole]):
        doc = component.set_annotations(
            nlp.make_doc(HOSTILE_TEXT), analysis(HOSTILE_TEXT, findings)
        )
        for copy in (doc, Doc(nlp.vocab).from_bytes(doc.to_bytes())):  # saved and read back
            got = [
                (
                    s.start_char,
                    s.end_char,
                    s._.propscope["start"],
                    s._.propscope["confidence"],
                    s._.propscope["aligned"],
                )
                for s in copy.spans["propscope"]
            ]
            expected = {(i, i + 7, i, 0.9, True), (i, i + 7, i + 3, 0.2, False)}
            assert sorted(got) == sorted(expected)


# --- 1. a fine-tuned model's identity, and batch re-analysis -------------------------------


def test_a_fine_tuned_model_tells_itself_apart_from_its_base(tmp_path, data_dir, monkeypatch):
    """A fine-tuned model kept the shipped name, version and trained_on: analyze's model,
    the store's model_version and Label Studio's model_version all said the shipped model.
    (Training and the checks are stood in for: the identity is what is tested.)"""
    from propscope import retrain, train
    from propscope.analysis import analyze
    from propscope.integrations.labelstudio import model_version
    from propscope.models.tagger import SHIPPED_MODEL, SpanTagger
    from propscope.store import Store

    monkeypatch.setattr(train, "fit", lambda *args, **kwargs: None)
    monkeypatch.setattr(retrain, "held_out_check", lambda *args: retrain.Check(0.5, 0.5))
    monkeypatch.setattr(retrain, "_paragraph_probe", lambda *args: {"refitted": False})
    corrected = corrected_folder(tmp_path)
    out = tmp_path / "my-model"
    retrain.finetune_model(
        corrected, out, data_dir=data_dir, limit=1, tune_limit=1, log=lambda _: None
    )
    base = json.loads((SHIPPED_MODEL / "propscope.json").read_text(encoding="utf-8"))
    meta = json.loads((out / "propscope.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((out / "weights.safetensors").read_bytes()).hexdigest()[:12]
    assert meta["version"] == f"{base['version']}+ft.{digest}"
    assert meta["name"] == base["name"]  # the found-span head is checked against the name
    assert f"{base['name']} {base['version']} fine-tuned on 1 corrected" in meta["trained_on"]
    assert str(corrected.resolve()) in meta["trained_on"]
    recorded = meta["finetuned"]["base"]
    assert (recorded["name"], recorded["version"]) == (base["name"], base["version"])
    assert recorded["trained_on"] == base["trained_on"]

    analysed = analyze(HOSTILE_TEXT, SpanTagger.load(out))
    assert analysed.model.version == meta["version"]
    assert analysed.model.trained_on == meta["trained_on"]
    assert model_version(analysed) == f"{base['name']} {meta['version']}"
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    store.add(analysed_article(analysed), analysed)
    [stored] = store.iter_articles()
    assert stored.model_version == meta["version"]


def analysed_article(analysed):
    from propscope.article import Article

    return Article.from_text(analysed.text, id="1")


def corrected_folder(tmp_path: Path) -> Path:
    """A folder of corrections as `annotate import` writes it: one article, one span."""
    from propscope import retrain

    corrected = tmp_path / "corrected"
    (corrected / retrain.ARTICLES_DIR).mkdir(parents=True)
    (corrected / retrain.SPANS_DIR).mkdir()
    (corrected / retrain.ARTICLES_DIR / "article1.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (corrected / retrain.SPANS_DIR / "article1-labels-subtask-3.txt").write_text(
        "1\tLoaded_Language\t4\t11\n", encoding="utf-8"
    )
    return corrected


def model_folder(tmp_path: Path, version: str) -> Path:
    """A copy of the shipped model whose propscope.json says ``version`` (big files linked)."""
    from propscope.models.tagger import SHIPPED_MODEL

    folder = tmp_path / f"model-{version}"
    folder.mkdir()
    for file in SHIPPED_MODEL.iterdir():
        if file.is_file() and file.name != "propscope.json":
            (folder / file.name).symlink_to(file)
    meta = json.loads((SHIPPED_MODEL / "propscope.json").read_text(encoding="utf-8"))
    meta["version"] = version
    (folder / "propscope.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


class Versioned:
    """An engine that analyses nothing: each article gets a hand-made analysis by the model
    version its ``model_path`` folder says, with one finding per version."""

    name, workers = "hand-made", 1

    def __init__(self, model_path: Path, finding: str = "corrupt") -> None:
        self.model_path, self.finding, self.received = model_path, finding, []

    def analyse(self, articles):
        from propscope.batch import Outcome

        version = json.loads((self.model_path / "propscope.json").read_text())["version"]
        for article in articles:
            self.received.append(article.id)
            i = article.text.index(self.finding)
            made = analysis(article.text, [span(article.text, i, i + len(self.finding))])
            model = made.model.model_copy(update={"version": version})
            info = made.article.model_copy(update={"id": article.id, "source": article.source})
            yield Outcome(article, made.model_copy(update={"model": model, "article": info}))

    def close(self) -> None:
        pass


def test_batch_reanalyse_replaces_the_findings_of_another_model_version_and_keeps_the_rest(
    tmp_path,
):
    """`batch --model my-model` skipped every article the shipped model had stored ("analysed
    0, skipped 3"), saying nothing; the summary now counts them by version, and
    reanalyse=True analyses them again: findings, analysis and model version replaced, the
    id, metadata, source, date and time stored kept, in one transaction per commit."""
    from propscope.batch import run_batch
    from propscope.store import Store

    records = [
        {
            "id": "a",
            "text": HOSTILE_TEXT,
            "source": "Daily",
            "published": "2024-03-05",
            "desk": "x",
        },
        {"id": "b", "text": HOSTILE_TEXT + " Again.", "url": "https://news.example/b"},
        {"id": "c", "text": "Le régime corrupt ment encore.", "language": "fr"},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    old, new = model_folder(tmp_path, "0.1.0"), model_folder(tmp_path, "0.1.0+ft.0123456789ab")
    first = run_batch(corpus, store, Versioned(old))
    assert (first.analysed, first.other_versions) == (3, {})
    before = {s.id: s for s in store.iter_articles()}

    engine = Versioned(new, finding="regime")
    summary = run_batch(corpus, store, engine)
    assert (summary.analysed, summary.skipped, engine.received) == (0, 3, [])
    # the French article: another model analyses French, whatever the English one is
    assert summary.other_versions == {"0.1.0": 2}
    assert summary.model_version == "0.1.0+ft.0123456789ab"

    summary = run_batch(corpus, store, engine, reanalyse=True)
    assert (summary.analysed, summary.reanalysed, summary.skipped) == (2, 2, 1)
    assert sorted(engine.received) == ["a", "b"] and summary.other_versions == {}
    after = {s.id: s for s in store.iter_articles()}
    assert sorted(after) == sorted(before)  # the same ids, no new row
    for article_id, stored in after.items():
        was = before[article_id]
        kept = ("title", "source", "url", "published", "created_at", "metadata", "language")
        assert [getattr(stored, k) for k in kept] == [getattr(was, k) for k in kept]
        assert stored.analysis.article == was.analysis.article
        if was.analysis.article.id == "c":
            assert stored.model_version == "0.1.0" and stored.analysis == was.analysis
            continue
        assert stored.model_version == "0.1.0+ft.0123456789ab"
        assert stored.analysis.model.version == "0.1.0+ft.0123456789ab"
        assert [s.text for s in stored.analysis.spans] == ["regime"]
    assert {s["text"] for s in store.iter_spans()} == {"regime", "corrupt"}  # c keeps its own
    assert store.count() == 3

    again = run_batch(corpus, store, engine, reanalyse=True)  # nothing left to re-analyse
    assert (again.analysed, again.skipped, again.other_versions) == (0, 3, {})


def test_batch_cli_says_what_another_model_version_analysed_and_reanalyses_it(tmp_path):
    """The user's path: batch with the shipped model, then with --model my-model."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "one.txt").write_text(HOSTILE_TEXT + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    my_model = model_folder(tmp_path, "0.1.0+ft.0123456789ab")
    first = run("batch", str(folder), "--db", db, "--workers", "1")
    assert first.exit_code == 0 and "analysed 1," in first.stdout
    second = run("batch", str(folder), "--db", db, "--workers", "1", "--model", str(my_model))
    assert second.exit_code == 0 and "analysed 0, skipped 1" in second.stdout
    assert (
        "1 of the skipped were analysed by another model version (0.1.0: 1), not by this run's "
        "model (0.1.0+ft.0123456789ab): add --reanalyse" in second.stdout
    )
    third = run(
        "batch", str(folder), "--db", db, "--workers", "1", "--model", str(my_model), "--reanalyze"
    )
    assert third.exit_code == 0 and "analysed 1, skipped 0" in third.stdout
    assert "1 of the analysed had been analysed by another model version" in third.stdout
    from propscope.store import Store

    [stored] = Store(db).iter_articles()
    assert stored.id == 1 and stored.model_version == "0.1.0+ft.0123456789ab"


@pytest.mark.parametrize("given", [None, "english", "multilingual", "model-0.2"])
def test_batch_reads_the_version_of_the_model_analyze_loads(tmp_path, monkeypatch, given):
    """batch reads the model's propscope.json without torch; the folder is the one
    models.tagger.model_path chooses (--model, else $PROPSCOPE_MODEL, else the shipped)."""
    from propscope.batch import active_model
    from propscope.models.tagger import model_path

    folder = model_folder(tmp_path, "0.2")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(folder.parent))
    # ("~/..." as a shell leaves it in the variable: the engine expands it, so must batch)
    for env in (None, str(folder), f"~/{folder.name}"):
        if env is None:
            monkeypatch.delenv("PROPSCOPE_MODEL", raising=False)
        else:
            monkeypatch.setenv("PROPSCOPE_MODEL", env)
        active = active_model(given)
        assert active is not None and active.path.resolve() == model_path(given).resolve()
        meta = json.loads((model_path(given) / "propscope.json").read_text(encoding="utf-8"))
        assert active.version == meta["version"]
        assert active.languages == {"en", *meta.get("languages", {})}
    assert active_model(tmp_path / "nowhere") is None


# --- 4. --output holds a fine-tuned model, and no --model ---------------------------------------


def test_train_refuses_to_replace_a_fine_tuned_model_it_would_not_start_from(
    tmp_path, monkeypatch, data_dir
):
    """`train --extra-data new/ --output my-model` started from the shipped model, checked
    the new model against it alone and replaced my-model, even with a worse model."""
    from propscope import retrain
    from propscope.models import files, tagger

    def no_model(*args, **kwargs):
        raise AssertionError("a model was loaded before --output was checked")

    monkeypatch.setattr(files, "load_model_dir", no_model)
    monkeypatch.setattr(tagger.SpanTagger, "load", no_model)
    monkeypatch.delenv("PROPSCOPE_MODEL", raising=False)
    monkeypatch.chdir(tmp_path)
    corrected = corrected_folder(tmp_path)
    my_model = model_folder(tmp_path, "0.1.0+ft.0123456789ab")
    meta = json.loads((my_model / "propscope.json").read_text(encoding="utf-8"))
    meta["finetuned"] = {"corrected_articles": 3}
    (my_model / "propscope.json").write_text(json.dumps(meta), encoding="utf-8")
    files_before = sorted(p.name for p in tmp_path.iterdir())
    with no_hang(60):
        result = run(
            "train",
            "--extra-data",
            str(corrected),
            "--output",
            my_model.name,
            "--data",
            str(data_dir),
        )
    assert result.exit_code == 2, result.output
    [line] = error_lines(result)
    assert "holds a fine-tuned model (propscope-span-tagger 0.1.0+ft.0123456789ab)" in line
    assert "without --model it would start from the shipped model" in line
    assert f"give --model '{my_model.name}'" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before
    assert json.loads((my_model / "propscope.json").read_text(encoding="utf-8")) == meta
    # what is not refused: --model given, $PROPSCOPE_MODEL naming it, a model not fine-tuned
    retrain.check_replaced_model(my_model, my_model)
    retrain.check_replaced_model(my_model, tagger.SHIPPED_MODEL)
    monkeypatch.setenv("PROPSCOPE_MODEL", str(my_model))
    retrain.check_replaced_model(my_model, None)
    monkeypatch.delenv("PROPSCOPE_MODEL")
    retrain.check_replaced_model(model_folder(tmp_path, "0.2"), None)
