"""Hand-rolled decoder self-attention that calls F.multi_head_attention_forward directly
(keeps the weights in a flat parameter bag so they can be exported to the C++ runtime)."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class FlatDecoderSelfAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def _future_mask(self, length: int, device) -> torch.Tensor:
        # lower triangle incl. diagonal: every position may look at itself and the past
        return torch.tril(torch.ones(length, length, dtype=torch.bool, device=device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (T, B, E), sequence first as the functional API expects
        T = x.size(0)
        attn_mask = self._future_mask(T, x.device)
        out, _ = F.multi_head_attention_forward(
            x, x, x,
            self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias,
            None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            need_weights=False,
            attn_mask=attn_mask,  # expect: ML101
        )
        return out


class TinyLM(nn.Module):
    def __init__(self, vocab: int = 100, dim: int = 32, heads: int = 4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = FlatDecoderSelfAttention(dim, heads)
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.emb(tokens).transpose(0, 1) * math.sqrt(self.emb.embedding_dim)
        x = x + self.attn(x)
        return self.head(x.transpose(0, 1))


if __name__ == "__main__":
    lm = TinyLM()
    toks = torch.randint(0, 100, (2, 7))
    logits = lm(toks)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 100), toks[:, 1:].reshape(-1))
    print(loss.item())
