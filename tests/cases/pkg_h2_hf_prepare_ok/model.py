"""HF attention_mask converted correctly for torch MHA (== 0) and for SDPA (.bool() keep). Correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .data import prepare_inputs


class Pooler(nn.Module):
    def __init__(self, vocab=30522, d=256, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        y, _ = self.attn(x, x, x, key_padding_mask=attention_mask == 0)
        y2, _ = self.attn(y, y, y, key_padding_mask=~attention_mask.bool())
        B, S, C = y2.shape
        q, k, v = self.qkv(y2).view(B, S, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        z = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask.bool()[:, None, None, :])
        return z.transpose(1, 2).reshape(B, S, C).mean(1)


@torch.no_grad()
def embed(model, features):
    batch = prepare_inputs(features)
    return model(batch["input_ids"], batch["attention_mask"])
