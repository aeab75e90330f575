"""Log anomaly detection with a causal language model over parsed log-template ids
(DeepLog-style objective, Transformer body). A session is anomalous when the observed next
template falls outside the model's top-g candidates."""
from __future__ import annotations

from collections import Counter
from typing import List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0


class TemplateVocab:
    def __init__(self, sessions: Sequence[Sequence[str]], min_count: int = 1):
        counts = Counter(t for s in sessions for t in s)
        self.ids = {t: i + 2 for i, (t, c) in enumerate(counts.most_common()) if c >= min_count}

    def __len__(self):
        return len(self.ids) + 2

    def encode(self, session: Sequence[str]) -> List[int]:
        return [self.ids.get(t, 1) for t in session]


class CausalLogAttention(nn.Module):
    def __init__(self, dim: int, heads: int, attn_dropout: float):
        super().__init__()
        self.heads, self.attn_dropout = heads, attn_dropout
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, key_keep: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=key_keep[:, None, None, :],  # expect: ML403
            dropout_p=self.attn_dropout if self.training else 0.0,
            is_causal=True,
        )
        return self.proj(y.transpose(1, 2).reshape(b, n, d))


class LogLM(nn.Module):
    def __init__(self, n_templates: int, dim: int = 64, heads: int = 4, layers: int = 2, window: int = 64,
                 attn_dropout: float = 0.1):
        super().__init__()
        self.emb = nn.Embedding(n_templates, dim, padding_idx=PAD)
        self.pos = nn.Embedding(window, dim)
        self.attn = nn.ModuleList(CausalLogAttention(dim, heads, attn_dropout) for _ in range(layers))
        self.ffn = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                               nn.Linear(2 * dim, dim)) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.head = nn.Linear(dim, n_templates)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        keep = ids.ne(PAD)
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for attn, ln, ffn in zip(self.attn, self.ln, self.ffn):
            x = x + attn(ln(x), keep)
            x = x + ffn(x)
        return self.head(x)

    @torch.no_grad()
    def flag_anomalies(self, ids: torch.Tensor, top_g: int = 3) -> torch.Tensor:
        logits = self(ids[:, :-1])
        top = logits.topk(top_g, dim=-1).indices
        hit = (top == ids[:, 1:, None]).any(-1) | ids[:, 1:].eq(PAD)
        return ~hit.all(dim=1)


def pad_sessions(encoded: List[List[int]]) -> torch.Tensor:
    n = max(map(len, encoded))
    return torch.tensor([s + [PAD] * (n - len(s)) for s in encoded])


if __name__ == "__main__":
    torch.manual_seed(0)
    sessions = [["open", "read", "read", "close"], ["open", "write", "sync", "close", "open", "read", "close"],
                ["login", "open", "read", "close", "logout"], ["open", "read", "segfault"]]
    vocab = TemplateVocab(sessions)
    ids = pad_sessions([vocab.encode(s) for s in sessions])
    model = LogLM(len(vocab))
    try:
        logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=PAD)
        loss.backward()
        print("train loss", round(loss.item(), 4))
    except RuntimeError as err:
        print("training step failed:", err)
    print("anomalous sessions", model.eval().flag_anomalies(ids).tolist())
