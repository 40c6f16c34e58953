"""The persuasion network: a small encoder with a token head and a span head.

One encoder pass per window feeds two heads:
- the token head gives, for every token, an "any technique" probability (column 0) and one
  probability per technique (columns 1..T); overlapping spans of different techniques are
  therefore representable (multi-label sigmoid outputs);
- the span head labels a given character span with one technique (softmax over T), from the
  pooled span tokens, the window's [CLS], the span's boundary tokens and a few span features
  (repeat count in the article, length) that a 256-token window cannot see by itself.
"""

from __future__ import annotations

import math

import torch
from torch import nn

N_SPAN_FEATURES = 4


def span_features(count: int, n_chars: int, n_tokens: int) -> list[float]:
    """Article-level features of a span: how often its text repeats, and its size."""
    return [
        math.log(max(count, 1)),
        1.0 if count >= 2 else 0.0,
        math.log1p(n_chars) / 5.0,
        min(n_tokens, 64) / 32.0,
    ]


class PersuasionNet(nn.Module):
    """Encoder + token head (1 + T sigmoid outputs) + span head (T-way softmax)."""

    def __init__(self, encoder: nn.Module, n_techniques: int, span_hidden: int = 256) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.n_techniques = n_techniques
        self.token_head = nn.Linear(hidden, 1 + n_techniques)
        self.span_head = nn.Sequential(
            nn.Linear(4 * hidden + N_SPAN_FEATURES, span_hidden),
            nn.GELU(),
            nn.Dropout(0.1),
            nn.Linear(span_hidden, n_techniques),
        )

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (hidden states [B, L, H], token logits [B, L, 1 + T])."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return hidden, self.token_head(hidden)

    def span_inputs(
        self,
        hidden: torch.Tensor,
        window: torch.Tensor,
        first: torch.Tensor,
        last: torch.Tensor,
        features: torch.Tensor,
        cumulative: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """What a span head reads [N, 4H + F] for N spans given by window index and
        first/last token (inclusive): the mean of the span's states, the window's [CLS],
        the two boundary states and the span features.

        ``cumulative`` (``hidden.cumsum(1)``) may be passed in when labelling many span sets
        of one text, so the running sums are computed once."""
        if cumulative is None:
            cumulative = torch.cumsum(hidden, dim=1)
        total = cumulative[window, last]
        before = torch.where(
            (first > 0).unsqueeze(-1),
            cumulative[window, (first - 1).clamp(min=0)],
            torch.zeros_like(total),
        )
        mean = (total - before) / (last - first + 1).unsqueeze(-1).to(hidden.dtype)
        return torch.cat(
            [mean, hidden[window, 0], hidden[window, first], hidden[window, last], features], dim=-1
        )

    def span_logits(
        self,
        hidden: torch.Tensor,
        window: torch.Tensor,
        first: torch.Tensor,
        last: torch.Tensor,
        features: torch.Tensor,
        cumulative: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits [N, T] of the span head for N spans (see ``span_inputs``)."""
        return self.span_head(self.span_inputs(hidden, window, first, last, features, cumulative))
