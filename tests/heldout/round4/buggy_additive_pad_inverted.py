"""Encoder for a retrieval bi-encoder; additive padding bias built once per batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    # attention_mask: (batch, seq), 1 for tokens to attend to, 0 for padding
    extended = attention_mask.unsqueeze(1).unsqueeze(2).to(dtype)
    return extended * torch.finfo(dtype).min


class Layer(nn.Module):
    def __init__(self, d=768, h=12, ff=3072, p=0.1):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))
        self.ln2 = nn.LayerNorm(d)
        self.p = p

    def forward(self, x, bias):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.p if self.training else 0.0)
        x = self.ln1(x + self.o(a.transpose(1, 2).reshape(B, S, D)))
        return self.ln2(x + self.ffn(x))


class PassageEncoder(nn.Module):
    def __init__(self, vocab=30522, d=768, layers=12):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(512, d)
        self.ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(Layer(d) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.ln(self.tok(input_ids) + self.pos(pos))
        bias = get_extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)  # expect: ML103
        return x[:, 0]


def in_batch_negatives_loss(q_enc, p_enc, q, p, temperature=0.05):
    qv = F.normalize(q_enc(**q), dim=-1)
    pv = F.normalize(p_enc(**p), dim=-1)
    logits = qv @ pv.T / temperature
    return F.cross_entropy(logits, torch.arange(len(logits), device=logits.device))
