"""DistilBERT-style encoder with eager and SDPA attention paths sharing one extended mask."""
import math

import torch
from torch import nn
import torch.nn.functional as F


class Config:
    vocab_size = 8000
    dim = 64
    n_heads = 4
    n_layers = 2
    hidden_dim = 128
    max_position_embeddings = 128
    attn_implementation = "sdpa"


def get_extended_attention_mask(attention_mask, dtype):
    extended = attention_mask.unsqueeze(1).unsqueeze(2)          # (bs, 1, 1, seq)
    extended = extended.to(dtype=dtype)
    return (1.0 - extended) * torch.finfo(dtype).min


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.n_heads
        self.impl = config.attn_implementation
        self.q_lin = nn.Linear(config.dim, config.dim)
        self.k_lin = nn.Linear(config.dim, config.dim)
        self.v_lin = nn.Linear(config.dim, config.dim)
        self.out_lin = nn.Linear(config.dim, config.dim)

    def forward(self, hidden, extended_mask):
        bs, q_len, dim = hidden.shape
        shape = lambda x: x.view(bs, -1, self.n_heads, dim // self.n_heads).transpose(1, 2)
        q, k, v = shape(self.q_lin(hidden)), shape(self.k_lin(hidden)), shape(self.v_lin(hidden))
        if self.impl == "sdpa":
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=extended_mask)
        else:
            scores = q @ k.transpose(2, 3) / math.sqrt(dim // self.n_heads)
            scores = scores + extended_mask
            context = F.softmax(scores, dim=-1) @ v
        return self.out_lin(context.transpose(1, 2).reshape(bs, q_len, dim))


class TransformerBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = MultiHeadSelfAttention(config)
        self.sa_layer_norm = nn.LayerNorm(config.dim, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(config.dim, config.hidden_dim), nn.GELU(), nn.Linear(config.hidden_dim, config.dim))
        self.output_layer_norm = nn.LayerNorm(config.dim, eps=1e-12)

    def forward(self, x, extended_mask):
        x = self.sa_layer_norm(x + self.attention(x, extended_mask))
        return self.output_layer_norm(x + self.ffn(x))


class DistilEncoder(nn.Module):
    def __init__(self, config=Config()):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.dim, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.dim)
        self.layer = nn.ModuleList(TransformerBlock(config) for _ in range(config.n_layers))

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        ext = get_extended_attention_mask(attention_mask, x.dtype)
        for block in self.layer:
            x = block(x, ext)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[101, 7592, 2088, 102, 0, 0], [101, 2129, 2024, 2017, 2725, 102]])
    mask = (ids != 0).long()
    outs = {}
    for impl in ("sdpa", "eager"):
        torch.manual_seed(0)
        cfg = Config()
        cfg.attn_implementation = impl
        outs[impl] = DistilEncoder(cfg).eval()(ids, mask)
    print("sdpa vs eager", (outs["sdpa"] - outs["eager"]).abs().max().item())
