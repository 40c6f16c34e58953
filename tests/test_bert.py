"""propscope's own BERT encoder and tokenizer against `transformers` (a dev dependency).

The analysis runs without `transformers` (its import cost 4 to 5 s a process); these tests
pin that the lean encoder computes what `transformers`' ``BertModel`` computes with the same
weights, for both shipped encoders, and that the bare `tokenizers` tokenizer gives the ids
and offsets the wrapper gave.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from propscope.models import e5
from propscope.models.bert import BertEncoder
from propscope.models.files import load_model_dir
from propscope.models.tagger import SHIPPED_MODEL
from propscope.models.tokenizer import TextTokenizer
from propscope.models.windows import pad_batch

transformers = pytest.importorskip("transformers")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "amnesty-pro-armenian-official.txt"
TEXTS = [
    EXAMPLE.read_text(encoding="utf-8"),
    "Title line\r\n\r\nHe said: «C'est une honte», „Schande“ — позор!\r\n"
    "Zero\u200bwidth, tab\there.",
    'Flag-waving, fear-mongering ... and "so-called" experts (2026)!',
]


def _batch(tokenizer: TextTokenizer) -> tuple[torch.Tensor, torch.Tensor]:
    rows = [
        [tokenizer.cls_token_id, *tokenizer.encode(t)[0][:200], tokenizer.sep_token_id]
        for t in TEXTS
    ]
    return pad_batch(rows, tokenizer.pad_token_id)  # rows of different lengths: padding


def _reference(encoder: BertEncoder, word_embeddings: torch.nn.Module | None = None):
    config = transformers.BertConfig(**vars(encoder.config))
    if word_embeddings is not None:
        config.vocab_size = 2
    reference = transformers.BertModel(config, add_pooling_layer=False).eval()
    if word_embeddings is not None:
        reference.embeddings.word_embeddings = word_embeddings
    missing, unexpected = reference.load_state_dict(encoder.state_dict(), strict=False)
    assert not unexpected and all(k.endswith("position_ids") for k in missing)
    return reference


@torch.inference_mode()
def test_english_encoder_matches_transformers_bert() -> None:
    net, tokenizer, _ = load_model_dir(SHIPPED_MODEL)
    ids, mask = _batch(tokenizer)
    ours = net.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
    theirs = _reference(net.encoder)(input_ids=ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    assert (ours - theirs)[real].abs().max().item() < 1e-5
    assert ours[real].abs().mean().item() > 0.1  # not two copies of nothing


@torch.inference_mode()
def test_e5_encoder_matches_transformers_bert_with_every_hidden_state() -> None:
    encoder, tokenizer = e5.load_e5(layers=3)
    ids, mask = _batch(tokenizer)
    ours = encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    reference = _reference(encoder, encoder.embeddings.word_embeddings)
    theirs = reference(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    assert len(ours.hidden_states) == len(theirs.hidden_states) == 4  # embeddings + 3 layers
    real = mask.bool()
    for a, b in zip(ours.hidden_states, theirs.hidden_states, strict=True):
        assert (a - b)[real].abs().max().item() < 1e-5


def test_tokenizer_gives_the_ids_and_offsets_of_the_transformers_wrapper() -> None:
    ours = TextTokenizer.from_dir(SHIPPED_MODEL)
    theirs = transformers.AutoTokenizer.from_pretrained(SHIPPED_MODEL)
    assert (ours.cls_token_id, ours.sep_token_id, ours.pad_token_id) == (
        theirs.cls_token_id,
        theirs.sep_token_id,
        theirs.pad_token_id,
    )
    for text in TEXTS:
        encoding = theirs(text, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = ours.encode(text)
        assert ids == encoding["input_ids"]
        assert [tuple(o) for o in offsets] == [tuple(o) for o in encoding["offset_mapping"]]
    # Never truncated: windows are cut by propscope, whatever the file's last settings were.
    assert len(ours.encode("word " * 2000)[0]) == 2000


def test_tokenizer_round_trips_through_a_model_directory(tmp_path: Path) -> None:
    tokenizer = TextTokenizer.from_dir(SHIPPED_MODEL)
    tokenizer.tokenizer.enable_truncation(16)  # a setting a saved file may carry
    tokenizer.save(tmp_path)
    again = TextTokenizer.from_dir(tmp_path)
    assert again.encode(TEXTS[1]) == TextTokenizer.from_dir(SHIPPED_MODEL).encode(TEXTS[1])
    assert len(again.encode("word " * 100)[0]) == 100


def test_analysis_never_imports_transformers() -> None:
    code = (
        "import sys\n"
        "from propscope.analysis import analyze\n"
        "from propscope.io.readers import read_article_file\n"
        f"result = analyze(read_article_file({str(EXAMPLE)!r}))\n"
        "assert result.spans, 'no findings'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'transformers'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == "[]"
