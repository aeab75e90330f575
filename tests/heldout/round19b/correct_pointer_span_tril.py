"""Extractive QA head: scores every (start, end) span with end >= start."""
import torch
import torch.nn as nn


class SpanScorer(nn.Module):
    def __init__(self, hidden=64, max_answer_len=30):
        super().__init__()
        self.start = nn.Linear(hidden, hidden)
        self.end = nn.Linear(hidden, hidden)
        self.max_answer_len = max_answer_len

    def forward(self, hidden_states, context_mask):
        # hidden_states (B, L, H); context_mask (B, L) True on passage tokens
        s = self.start(hidden_states)
        e = self.end(hidden_states)
        logits = torch.einsum("bih,bjh->bij", s, e)  # (B, start, end)
        L = logits.size(-1)
        ones = torch.ones(L, L, dtype=torch.bool, device=logits.device)
        invalid = torch.tril(ones, diagonal=-1) | torch.triu(ones, diagonal=self.max_answer_len)
        pair_ok = context_mask[:, :, None] & context_mask[:, None, :]
        logits = logits.masked_fill(invalid | ~pair_ok, float("-inf"))
        return logits

    @torch.no_grad()
    def best_span(self, hidden_states, context_mask):
        logits = self(hidden_states, context_mask)
        B, L, _ = logits.shape
        flat = logits.view(B, -1).argmax(-1)
        return torch.stack([flat // L, flat % L], dim=-1)


def span_loss(logits, start_pos, end_pos):
    B, L, _ = logits.shape
    target = start_pos * L + end_pos
    return nn.functional.cross_entropy(logits.view(B, -1), target)
