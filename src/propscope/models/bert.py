"""A BERT encoder in plain torch, with the parameter names of `transformers`' ``BertModel``.

Both encoders propscope runs (MiniLM-L6 and multilingual-e5-small) are post-LayerNorm BERT
encoders without a pooler. Importing `transformers`' ``BertModel`` costs 4 to 5 s on the
2-core machine (it pulls in generation, hub, distributed-tensor and dynamo modules), more
than loading the weights: this module is the same computation in plain torch, so a CLI
call or a worker starts that much sooner. The state-dict keys are those of
``BertModel(add_pooling_layer=False)``, so model directories, the pretrained MiniLM file and
the e5 rebuild load unchanged; ``tests/test_bert.py`` checks the outputs against
`transformers` (a development dependency) to 1e-5.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from propscope.errors import ModelError
from propscope.models.array_files import damaged_file

CONFIG_FILE = "config.json"


@dataclass
class BertConfig:
    """The hyper-parameters ``config.json`` holds (other keys in the file are ignored)."""

    vocab_size: int
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    pad_token_id: int = 0
    hidden_act: str = "gelu"

    @classmethod
    def from_dict(cls, values: dict) -> BertConfig:
        """The config of ``values``; ValueError when a value could not build an encoder
        (checked here, so a damaged file is not a torch error deep in the network)."""
        if not isinstance(values, dict):
            raise ValueError(f"a config is a JSON object, not {type(values).__name__}")
        names = {f.name for f in fields(cls)}
        try:
            config = cls(**{k: v for k, v in values.items() if k in names})
        except TypeError as exc:  # a required key (vocab_size) is missing
            raise ValueError(str(exc)) from exc
        for f in fields(cls):
            value = getattr(config, f.name)
            kind, word = {
                "int": (int, "whole number"),
                "float": ((int, float), "number"),
                "str": (str, "string"),
            }[f.type]
            if isinstance(value, bool) or not isinstance(value, kind):
                raise ValueError(f"{f.name} is {value!r}, not a {word}")
            if f.type == "int" and value < (0 if f.name == "pad_token_id" else 1):
                raise ValueError(f"{f.name} is {value}")
        if config.hidden_size % config.num_attention_heads:
            raise ValueError("hidden_size is not a multiple of num_attention_heads")
        if config.hidden_act != "gelu":
            raise ValueError(f"unsupported activation {config.hidden_act!r} (only exact gelu)")
        return config

    @classmethod
    def from_dir(cls, folder: Path) -> BertConfig:
        """The config of a model or pretrained folder; ModelError naming the file when it
        is missing or damaged."""
        file = Path(folder) / CONFIG_FILE
        try:
            return cls.from_dict(json.loads(file.read_text("utf-8")))
        except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeError included
            raise damaged_file(file, exc) from exc

    def save(self, folder: Path) -> None:
        values = {"architectures": ["BertModel"], "model_type": "bert", **asdict(self)}
        text = json.dumps(values, indent=2, sort_keys=True) + "\n"
        (Path(folder) / CONFIG_FILE).write_text(text, encoding="utf-8")


@dataclass
class EncoderOutput:
    last_hidden_state: torch.Tensor
    hidden_states: tuple[torch.Tensor, ...] | None = None  # embeddings, then every layer


class BertEmbeddings(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(
            config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id
        )
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        positions = torch.arange(length, device=input_ids.device)
        # Every window is one segment: token type 0 throughout, as transformers defaults to.
        x = (
            self.word_embeddings(input_ids)
            + self.token_type_embeddings.weight[0]
            + self.position_embeddings(positions)
        )
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.heads = config.num_attention_heads
        self.head_size = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout_p = config.attention_probs_dropout_prob

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(*x.shape[:2], self.heads, self.head_size).transpose(1, 2)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        context = F.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=mask,
            dropout_p=self.dropout_p if self.training else 0.0,
            scale=1.0 / math.sqrt(self.head_size),
        )
        return context.transpose(1, 2).reshape(x.shape)


class BertSelfOutput(nn.Module):
    """dense -> dropout -> LayerNorm(x + residual); also the feed-forward's output."""

    def __init__(self, config: BertConfig, inner: int) -> None:
        super().__init__()
        self.dense = nn.Linear(inner, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class BertAttention(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.self = BertSelfAttention(config)
        self.output = BertSelfOutput(config, config.hidden_size)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        return self.output(self.self(x, mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(self.dense(x))  # exact (erf) gelu, BERT's "gelu"


class BertLayer(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.attention = BertAttention(config)
        self.intermediate = BertIntermediate(config)
        self.output = BertSelfOutput(config, config.intermediate_size)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        attended = self.attention(x, mask)
        return self.output(self.intermediate(attended), attended)


class BertEncoderLayers(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(config) for _ in range(config.num_hidden_layers))


class BertEncoder(nn.Module):
    """``BertModel(add_pooling_layer=False)``: embeddings, then ``num_hidden_layers`` layers."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.encoder = BertEncoderLayers(config)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        output_hidden_states: bool = False,
        layers: int | None = None,
    ) -> EncoderOutput:
        """``layers``: run only the first that many layers (a reader of a lower layer's
        states need not pay for the ones above it)."""
        x = self.embeddings(input_ids)
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            # Padding keys get -inf-like scores; a [B, 1, 1, L] additive mask, as BERT uses.
            keep = attention_mask[:, None, None, :].to(torch.bool)
            mask = torch.zeros(keep.shape, dtype=x.dtype, device=x.device)
            mask = mask.masked_fill(~keep, torch.finfo(x.dtype).min)
        states = [x] if output_hidden_states else None
        for layer in self.encoder.layer[:layers]:
            x = layer(x, mask)
            if states is not None:
                states.append(x)
        return EncoderOutput(x, tuple(states) if states is not None else None)


def load_pretrained(folder: Path, config: BertConfig) -> BertEncoder:
    """An encoder with the weights of a `transformers` BERT folder (``model.safetensors``);
    the pooler and the position-id buffer in the file are not part of the encoder."""
    from safetensors.torch import load_file

    # The random init is overwritten; drawing it from a forked generator leaves the global
    # one where `transformers`' loader left it, so seeded heads initialise as they did.
    with torch.random.fork_rng(devices=[]):
        encoder = BertEncoder(config)
    state = load_file(str(Path(folder) / "model.safetensors"))
    state = {
        k.removeprefix("bert."): v
        for k, v in state.items()
        if not k.startswith(("pooler.", "bert.pooler.")) and not k.endswith("position_ids")
    }
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ModelError(
            f"{folder}: weights do not match a BERT encoder "
            f"(missing {missing[:3]}, unexpected {unexpected[:3]})"
        )
    return encoder
