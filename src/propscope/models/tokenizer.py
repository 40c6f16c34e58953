"""The encoders' tokenizer: a `tokenizers` ``Tokenizer`` plus the special-token ids windows need.

propscope only ever asks a tokenizer for the ids and character offsets of a whole text
(without special tokens) and for four special ids, so the fast tokenizer from `tokenizers`
is used as it is, without `transformers`' wrapper around it (whose import costs seconds).
A model directory keeps the `transformers` layout (``tokenizer.json`` and
``tokenizer_config.json``), so folders written before and after read the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers import Tokenizer

from propscope.models.array_files import damaged_file

TOKENIZER_FILE = "tokenizer.json"
TOKENIZER_CONFIG = "tokenizer_config.json"
_BERT_SPECIALS = {"cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]"}


class TextTokenizer:
    """Ids and [start, end) offsets of a text, and the ids of the special tokens."""

    def __init__(self, tokenizer: Tokenizer, specials: dict[str, str]) -> None:
        # A tokenizer.json may carry the truncation of its last use (sentence-transformers
        # saves max_length 128): articles are cut into windows by propscope, never here.
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        self.specials = dict(specials)
        ids = {}
        for role, token in self.specials.items():
            token_id = tokenizer.token_to_id(token)
            if token_id is None:
                raise ValueError(f"the tokenizer has no {role} token {token!r}")
            ids[role] = token_id
        self.cls_token_id = ids["cls"]
        self.sep_token_id = ids["sep"]
        self.pad_token_id = ids["pad"]
        self.unk_token_id = ids["unk"]

    @classmethod
    def from_dir(cls, folder: Path) -> TextTokenizer:
        """The tokenizer of a `transformers`-layout folder (model directory or pretrained)."""
        folder = Path(folder)
        specials = dict(_BERT_SPECIALS)
        config_file = folder / TOKENIZER_CONFIG
        if config_file.is_file():
            try:
                config = json.loads(config_file.read_text("utf-8"))
                if not isinstance(config, dict):
                    raise ValueError(f"a JSON {type(config).__name__}, not an object")
            except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeError included
                raise damaged_file(config_file, exc) from exc
            for role in specials:
                value = config.get(f"{role}_token")
                if isinstance(value, dict):  # {"content": "[CLS]", ...} in older files
                    value = value.get("content")
                if isinstance(value, str):
                    specials[role] = value
        file = folder / TOKENIZER_FILE
        try:
            return cls(Tokenizer.from_file(str(file)), specials)
        # `tokenizers` raises a bare Exception for a missing or unparsable file; ValueError
        # is a special token the file lacks.
        except Exception as exc:
            raise damaged_file(file, exc) from exc

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Ids and raw character offsets of the whole text, no special tokens."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        return encoding.ids, encoding.offsets

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self.tokenizer.id_to_token(i) for i in ids]

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        self.tokenizer.save(str(folder / TOKENIZER_FILE))
        config = {f"{role}_token": token for role, token in self.specials.items()}
        text = json.dumps(config, indent=2, sort_keys=True) + "\n"
        (folder / TOKENIZER_CONFIG).write_text(text, encoding="utf-8")
