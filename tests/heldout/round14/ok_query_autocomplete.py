"""Search-query autocompletion LM. Prefixes typed by users are right padded; masks are kept
as additive float tensors throughout (0 = visible, -inf = hidden), which is what the
exported ONNX graph consumes."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn

PAD, BOS = 0, 1


def additive_causal(n: int, device=None, dtype=torch.float32) -> torch.Tensor:
    upper = torch.ones(n, n, dtype=torch.bool, device=device).triu(1)
    return torch.zeros(n, n, device=device, dtype=dtype).masked_fill(upper, float("-inf"))


def additive_padding(ids: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
    return torch.zeros(ids.shape, dtype=dtype, device=ids.device).masked_fill(ids.eq(PAD), float("-inf"))


class AutocompleteLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, causal_bias, padding_bias):
        y = self.ln1(x)
        y, _ = self.attn(y, y, y, attn_mask=causal_bias, key_padding_mask=padding_bias, need_weights=False)
        x = x + y
        return x + self.mlp(self.ln2(x))


class QueryAutocompleter(nn.Module):
    def __init__(self, vocab: int = 5000, dim: int = 64, heads: int = 4, layers: int = 2, max_len: int = 32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList(AutocompleteLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        n = ids.size(1)
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        causal, padding = additive_causal(n, ids.device, x.dtype), additive_padding(ids, x.dtype)
        for layer in self.layers:
            x = layer(x, causal, padding)
        return self.out(x)

    @torch.no_grad()
    def complete(self, prefixes: List[List[int]], k: int = 3) -> torch.Tensor:
        lens = torch.tensor([len(p) + 1 for p in prefixes])
        width = int(lens.max())
        ids = torch.tensor([[BOS] + p + [PAD] * (width - 1 - len(p)) for p in prefixes])
        logits = self(ids)[torch.arange(len(prefixes)), lens - 1]
        logits[:, :2] = float("-inf")
        return logits.topk(k, dim=-1).indices


if __name__ == "__main__":
    torch.manual_seed(0)
    model = QueryAutocompleter()
    queries = torch.tensor([[BOS, 211, 87, 1093, 4, 0, 0], [BOS, 15, 16, 0, 0, 0, 0], [BOS, 3000, 2, 2, 9, 71, 8]])
    loss = F.cross_entropy(model(queries[:, :-1]).transpose(1, 2), queries[:, 1:], ignore_index=PAD)
    loss.backward()
    print("lm loss", round(loss.item(), 4))
    print("suggestions", model.eval().complete([[211, 87], [15], [3000, 2, 2]]).tolist())
