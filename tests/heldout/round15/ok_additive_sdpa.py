"""Clause classifier for contracts: a BERT-like encoder consuming tokenizer-style masks."""
import torch
from torch import nn
from torch.nn import functional as F


def extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, L) 1/0 mask -> (B, 1, 1, L) additive bias: 0 for tokens, a very negative value for padding."""
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, bias):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).transpose(1, 3).unbind(2)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = self.n1(x + self.o(a.transpose(1, 2).reshape(B, L, D)))
        return self.n2(x + self.ff(x))


class ClauseClassifier(nn.Module):
    def __init__(self, vocab=800, dim=64, heads=4, depth=2, n_labels=7):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(256, dim)
        self.layers = nn.ModuleList(Layer(dim, heads) for _ in range(depth))
        self.cls = nn.Linear(dim, n_labels)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        bias = extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        return self.cls(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 800, (3, 16))
    am = torch.ones(3, 16, dtype=torch.long)
    am[0, 10:] = 0
    am[2, 4:] = 0
    print("labels", ClauseClassifier()(ids, am).argmax(-1).tolist())
