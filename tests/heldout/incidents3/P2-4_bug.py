import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class _ScaledDotProductAttention(nn.Module):
    """bool attn_mask: True = masked out; any other dtype is added to the scores."""

    def forward(self, q, k, v, attn_mask=None):
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores = scores.masked_fill(attn_mask, float("-inf"))
            else:
                scores = scores + attn_mask
        attn = F.softmax(scores, dim=-1)
        return torch.matmul(attn, v), attn


class TSTEncoder(nn.Module):
    def __init__(self, c_in, d_model=64, n_heads=4, c_out=1):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_P = nn.Linear(c_in, d_model)
        self.W_QKV = nn.Linear(d_model, 3 * d_model)
        self.sdp = _ScaledDotProductAttention()
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, c_out)

    def forward(self, x, observed_mask):
        # x: (bs, seq_len, c_in); observed_mask: (bs, seq_len) 1 = observed step, 0 = padded step
        bs, seq_len, _ = x.shape
        h = self.W_P(x)
        q, k, v = self.W_QKV(h).view(bs, seq_len, 3, self.n_heads, self.d_k).permute(2, 0, 3, 1, 4)
        key_mask = (1 - observed_mask)[:, None, None, :]  # BUG
        out, _ = self.sdp(q, k, v, attn_mask=key_mask)
        h = self.norm(h + out.transpose(1, 2).reshape(bs, seq_len, -1))
        w = observed_mask.unsqueeze(-1).to(h.dtype)
        return self.head((h * w).sum(1) / w.sum(1).clamp(min=1.0))


def train_one_epoch(model, loader, optimizer, device="cpu"):
    model.train()
    losses = []
    for batch in loader:
        values = batch["past_values"].to(device)
        observed = batch["attention_mask"].to(device)
        target = batch["target"].to(device)
        pred = model(values, observed)
        loss = F.mse_loss(pred.squeeze(-1), target)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / max(len(losses), 1)
