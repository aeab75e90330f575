"""Seq-first encoder layer in the style of fairseq's TransformerEncoderLayer (encoder_padding_mask
plus an optional attn_mask), stacked into an encoder with a local-window attention pattern."""
from typing import Optional
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        """x: (T, B, C); encoder_padding_mask: (B, T) True at pads; attn_mask: (T, T) True = blocked"""
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask, need_weights=False)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        x = F.dropout(x, p=self.dropout, training=self.training)
        return self.final_layer_norm(residual + x)


class LocalTransformerEncoder(nn.Module):
    def __init__(self, vocab=100, embed_dim=32, layers=2, window=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.window = window
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim) for _ in range(layers)])

    def buffered_local_mask(self, T):
        idx = torch.arange(T)
        return (idx[:, None] - idx[None, :]).abs() > self.window

    def forward(self, src_tokens):
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        attn_mask = self.buffered_local_mask(x.size(0))
        for layer in self.layers:
            x = layer(x, encoder_padding_mask, attn_mask=attn_mask)
        return {"encoder_out": x, "encoder_padding_mask": encoder_padding_mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = LocalTransformerEncoder()
    head = nn.Linear(32, 5)
    opt = torch.optim.Adam(list(enc.parameters()) + list(head.parameters()), lr=1e-3)
    src_tokens = torch.tensor([[4, 5, 6, 7, 8, 9, 10, 11], [12, 13, 14, 15, 16, 17, 1, 1]])
    out = enc(src_tokens)
    x = out["encoder_out"].transpose(0, 1)
    keep = (~out["encoder_padding_mask"]).unsqueeze(-1).float()
    logits = head((x * keep).sum(1) / keep.sum(1))
    loss = F.cross_entropy(logits, torch.tensor([1, 3]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
