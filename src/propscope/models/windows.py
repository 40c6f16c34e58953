"""Cut an article's tokens into overlapping encoder windows and map spans onto tokens.

The whole article is tokenised once (with character offsets), so every token knows where it
sits in the text exactly as given; windows are slices of that token list.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class TokenizedText:
    """Token ids and their [start, end) character offsets in the original text."""

    ids: list[int]
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.ids)

    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last (inclusive) token overlapping characters [start, end), or None."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end) - 1
        if first > last or first >= len(self.ids):
            return None
        return first, last


# Characters that are whitespace to Python (and to a reader) but that the tokenizers delete
# as control characters, gluing the words on either side into one ("corrupt\x0belite"):
# vertical tab, form feed, the information separators \x1c-\x1f and NEL. Checked over every
# ``str.isspace()`` character for the MiniLM and e5 tokenizers (tests/test_hostile_round11_api).
_UNSEEN_SPACES = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_AS_SPACE = str.maketrans(dict.fromkeys(_UNSEEN_SPACES, " "))


def encode_with_offsets(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """The tokenizer's ids and raw character offsets for a whole text, no special tokens.

    Whitespace the tokenizers would delete becomes a space first, one character for one, so
    the offsets still point into ``text`` (text without such characters is unchanged)."""
    return tokenizer.encode(text.translate(_AS_SPACE))


def tokenize(tokenizer, text: str) -> TokenizedText:
    """Tokenise a whole text without special tokens, keeping offsets into ``text``."""
    ids, starts, ends = [], [], []
    for token_id, (start, end) in zip(*encode_with_offsets(tokenizer, text), strict=True):
        # SentencePiece pieces ("▁word") own the space before them: a token's characters
        # start at its first non-space (WordPiece offsets never include spaces).
        while start < end and text[start].isspace():
            start += 1
        if end <= start:  # tokens with no characters carry nothing to highlight
            continue
        ids.append(token_id)
        starts.append(start)
        ends.append(end)
    return TokenizedText(ids, starts, ends)


def window_starts(n_tokens: int, length: int, stride: int) -> list[int]:
    """Start token of each window so that every token is covered; the last window ends at n."""
    if n_tokens <= length:
        return [0]
    starts = list(range(0, n_tokens - length, stride))
    starts.append(n_tokens - length)
    return starts


def pad_batch(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(input ids, attention mask) [len(rows), longest row]: each row left-aligned, padded."""
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
        mask[i, : len(r)] = 1
    return ids, mask
