"""Damaged model directories and debris at threshold 0 (hostile review, round 5).

A model directory given with ``--model`` may be truncated or edited by hand: every file
that cannot be read must be a one-line ModelError naming it, never a library traceback.
The shipped directories are never touched; the tests damage copies under ``tmp_path``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from typer.testing import CliRunner

from propscope.errors import ModelError
from propscope.models.tagger import SHIPPED_MODEL, SHIPPED_MULTILINGUAL_MODEL, SpanTagger


def damaged_copy(source: Path, target: Path, name: str, damage: Callable[[Path], None]) -> Path:
    """``target`` with links to the files of ``source`` and a damaged copy of ``name``."""
    target.mkdir()
    for file in source.iterdir():
        if file.is_file() and file.name != name:
            (target / file.name).symlink_to(file)
    if (source / name).is_file():
        shutil.copyfile(source / name, target / name)
    damage(target / name)
    return target


def truncate(file: Path) -> None:
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])


def write(text: str) -> Callable[[Path], None]:
    return lambda file: file.write_text(text, encoding="utf-8")


def one_wrong_shape(file: Path) -> None:
    state = load_file(str(file))
    state["token_head.weight"] = torch.zeros(3, 3, dtype=state["token_head.weight"].dtype)
    save_file(state, str(file))


def without(key: str) -> Callable[[Path], None]:
    def damage(file: Path) -> None:
        meta = json.loads(file.read_text("utf-8"))
        del meta[key]
        file.write_text(json.dumps(meta), "utf-8")

    return damage


def assert_damaged(error: ModelError, file: Path) -> None:
    message = str(error)
    assert f"'{file}'" in message
    assert "damaged" in message or "missing" in message
    assert "reinstall" in message and "\n" not in message


ENGLISH_CASES = {
    "truncated weights": ("weights.safetensors", truncate),
    "a tensor of another shape": ("weights.safetensors", one_wrong_shape),
    "config not JSON": ("config.json", write("{\n")),
    "config without its keys": ("config.json", write('{"x": 1}')),
    "config with a text size": ("config.json", write('{"vocab_size": 30522, "hidden_size": "a"}')),
    "config missing": ("config.json", Path.unlink),
    "tokenizer truncated": ("tokenizer.json", truncate),
    "tokenizer missing": ("tokenizer.json", Path.unlink),
    "tokenizer config not JSON": ("tokenizer_config.json", write("{")),
    "propscope.json not JSON": ("propscope.json", write("{\n")),
    "propscope.json a list": ("propscope.json", write("[]")),
    "propscope.json without techniques": ("propscope.json", without("techniques")),
    "propscope.json not UTF-8": ("propscope.json", lambda file: file.write_bytes(b"\xff{}")),
}


@pytest.mark.parametrize("case", list(ENGLISH_CASES))
def test_a_damaged_english_model_file_is_a_model_error_naming_it(tmp_path: Path, case: str):
    name, damage = ENGLISH_CASES[case]
    folder = damaged_copy(SHIPPED_MODEL, tmp_path / "model", name, damage)
    with pytest.raises(ModelError) as caught:
        SpanTagger.load(folder)
    assert_damaged(caught.value, folder / name)


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("weights.safetensors", truncate),
        ("weights.safetensors", one_wrong_shape),
        ("propscope.json", without("layers")),
    ],
)
def test_a_damaged_multilingual_model_file_is_a_model_error_naming_it(
    tmp_path: Path, name: str, damage: Callable[[Path], None]
):
    folder = damaged_copy(SHIPPED_MULTILINGUAL_MODEL, tmp_path / "model", name, damage)
    with pytest.raises(ModelError) as caught:
        SpanTagger.load(folder)
    assert_damaged(caught.value, folder / name)


def test_analyze_with_a_damaged_model_prints_one_line_and_exits_2(tmp_path: Path, example_path):
    from propscope.cli import app

    folder = damaged_copy(SHIPPED_MODEL, tmp_path / "model", "weights.safetensors", truncate)
    result = CliRunner().invoke(app, ["analyze", str(example_path), "--model", str(folder)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "weights.safetensors' is damaged" in result.output
    assert "Traceback" not in result.output


def test_serve_reports_a_damaged_model_on_healthz(tmp_path: Path):
    from fastapi.testclient import TestClient

    from propscope.web import create_app

    folder = damaged_copy(SHIPPED_MODEL, tmp_path / "model", "config.json", write("{"))
    app = create_app(db_url=str(tmp_path / "web.db"), model_path=folder)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert not app.state.models.wait(60)
        health = client.get("/healthz")
    assert health.status_code == 503
    assert "config.json' is damaged" in health.json()["detail"]


# --- debris at threshold 0 --------------------------------------------------------------------


def encoded_with_debris(model, text: str, debris: str, p: float = 0.9):
    """``text`` encoded with the first occurrence of ``debris`` excluded and every token at
    detection probability ``p`` (the excluded text is blanked: it has no tokens)."""
    start = text.index(debris)
    encoded = model.encode(text, [(start, start + len(debris))])
    assert encoded.tokens.token_range(start, start + len(debris)) is None
    encoded.probs[:, 0] = p
    return encoded, (start, start + len(debris))


def overlaps(span: tuple[int, int, float], region: tuple[int, int]) -> bool:
    return span[0] < region[1] and region[0] < span[1]


@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_debris_never_starts_extends_or_bridges_a_span(model, threshold: float):
    text = "The corrupt elites lie to you. Share this article now. They always lie to you."
    encoded, debris = encoded_with_debris(model, text, "Share this article now.")
    spans = model.detect(encoded, threshold=threshold, gap=20, min_chars=1, extend=1.0)
    assert len(spans) == 2
    assert not any(overlaps(span, debris) for span in spans)


def test_a_repeated_phrase_is_not_found_again_in_debris(model):
    text = "The evil elites win again.\n\nYou Might Also Like: the evil elites\n"
    encoded, debris = encoded_with_debris(model, text, "You Might Also Like: the evil elites")
    encoded.probs[:, 0] = 0.0
    found = encoded.tokens.token_range(4, 15)  # "evil elites" of the first line
    encoded.probs[found[0] : found[1] + 1, 0] = 0.9
    spans = model.detect(encoded, threshold=0.5, gap=0, min_chars=1, extend=1.0, repeat=True)
    assert [text[s:e] for s, e, _ in spans] == ["evil elites"]


def test_analyze_at_threshold_0_finds_nothing_in_debris(example_path):
    from propscope import analyze

    text = example_path.read_text("utf-8").replace(
        "You Might Also Like",
        "Share this article on Facebook\n\nYou Might Also Like\n\n"
        "The corrupt traitors are destroying our great nation forever",
    )
    analysis = analyze(text, threshold=0.0)
    debris = [(p.start, p.end) for p in analysis.paragraphs if p.is_debris]
    assert debris
    assert analysis.spans
    assert not [s for s in analysis.spans if any(overlaps((s.start, s.end, 0), d) for d in debris)]
