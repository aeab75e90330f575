"""OpenNMT-style attention that upcasts the logits before masking; run under fp16 autocast."""
import math

import torch
import torch.nn as nn


class MultiHeadedAttention(nn.Module):
    def __init__(self, head_count, model_dim, dropout=0.1):
        super().__init__()
        self.dim_per_head = model_dim // head_count
        self.head_count = head_count
        self.linear_keys = nn.Linear(model_dim, model_dim)
        self.linear_values = nn.Linear(model_dim, model_dim)
        self.linear_query = nn.Linear(model_dim, model_dim)
        self.dropout = nn.Dropout(dropout)
        self.final_linear = nn.Linear(model_dim, model_dim)

    def forward(self, key, value, query, mask=None):
        # mask: (B, 1, S) bool, True = padding
        b = key.size(0)

        def shape(x):
            return x.view(b, -1, self.head_count, self.dim_per_head).transpose(1, 2)

        key = shape(self.linear_keys(key))
        value = shape(self.linear_values(value))
        query = shape(self.linear_query(query)) / math.sqrt(self.dim_per_head)
        scores = torch.matmul(query, key.transpose(2, 3))
        scores = scores.float()
        if mask is not None:
            scores = scores.masked_fill(mask.unsqueeze(1), -1e18)
        attn = torch.softmax(scores, dim=-1).to(query.dtype)
        ctx = torch.matmul(self.dropout(attn), value)
        ctx = ctx.transpose(1, 2).contiguous().view(b, -1, self.head_count * self.dim_per_head)
        return self.final_linear(ctx)


class EncoderLayer(nn.Module):
    def __init__(self, d_model=512, heads=8, d_ff=2048, dropout=0.1):
        super().__init__()
        self.self_attn = MultiHeadedAttention(heads, d_model, dropout)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))
        self.ln1, self.ln2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, pad_mask):
        h = self.ln1(x)
        x = x + self.self_attn(h, h, h, mask=pad_mask)
        return x + self.ff(self.ln2(x))


def train_step(layers, emb, src, opt, scaler):
    pad_mask = src.eq(1).unsqueeze(1)                  # padding index 1
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        x = emb(src)
        for layer in layers:
            x = layer(x, pad_mask)
        loss = x.float().pow(2).mean()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    opt.zero_grad()
    return loss.item()
