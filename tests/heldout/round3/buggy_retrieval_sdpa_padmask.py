"""Dual-encoder (bi-encoder) for passage retrieval, trained with in-batch
negatives. The encoder is a small pre-LN transformer on SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_pad_mask(input_ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(B, S) boolean, True at padding positions."""
    return input_ids.eq(pad_id)


class EncoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.dropout = dropout

    def forward(self, x, attn_mask):
        B, S, D = x.shape
        qkv = self.qkv(self.norm1(x)).view(B, S, 3, self.n_heads, D // self.n_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0
        )
        x = x + self.proj(o.transpose(1, 2).reshape(B, S, D))
        return x + self.ff(self.norm2(x))


class TextEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=384, n_heads=6, n_layers=6, pad_id=0, max_len=256):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList([EncoderLayer(d_model, n_heads) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(d_model)

    def forward(self, input_ids):
        pad = make_pad_mask(input_ids, self.pad_id)
        mask = pad[:, None, None, :]  # (B, 1, 1, S) broadcast over heads and queries
        x = self.tok(input_ids) + self.pos.weight[: input_ids.size(1)]
        for layer in self.layers:
            x = layer(
                x,
                mask,  # expect: ML102
            )
        x = self.norm(x)
        keep = (~pad).unsqueeze(-1).float()
        return (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)


class BiEncoder(nn.Module):
    def __init__(self, vocab_size, temperature=0.05):
        super().__init__()
        self.query_encoder = TextEncoder(vocab_size)
        self.doc_encoder = TextEncoder(vocab_size)
        self.temperature = temperature

    def forward(self, query_ids, doc_ids):
        q = F.normalize(self.query_encoder(query_ids), dim=-1)
        d = F.normalize(self.doc_encoder(doc_ids), dim=-1)
        scores = q @ d.t() / self.temperature
        labels = torch.arange(q.size(0), device=q.device)
        return F.cross_entropy(scores, labels)
