import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledDotProductAttention(nn.Module):
    def __init__(self, temperature, attn_dropout=0.0):
        super().__init__()
        self.temperature = temperature
        self.dropout = nn.Dropout(attn_dropout)

    def forward(self, q, k, v, mask=None):
        attn = torch.matmul(q / self.temperature, k.transpose(2, 3))
        if mask is not None:
            attn = attn.masked_fill(mask == 0, -1e4)
        attn = self.dropout(F.softmax(attn, dim=-1))
        return torch.matmul(attn, v), attn


class MultiHeadAttention(nn.Module):
    def __init__(self, n_head, d_model, d_k, d_v):
        super().__init__()
        self.n_head, self.d_k, self.d_v = n_head, d_k, d_v
        self.w_qs = nn.Linear(d_model, n_head * d_k, bias=False)
        self.w_ks = nn.Linear(d_model, n_head * d_k, bias=False)
        self.w_vs = nn.Linear(d_model, n_head * d_v, bias=False)
        self.fc = nn.Linear(n_head * d_v, d_model, bias=False)
        self.attention = ScaledDotProductAttention(temperature=d_k ** 0.5)
        self.layer_norm = nn.LayerNorm(d_model, eps=1e-6)

    def forward(self, q, k, v, mask=None):
        sz_b, len_q, len_k = q.size(0), q.size(1), k.size(1)
        residual = q
        q = self.w_qs(q).view(sz_b, len_q, self.n_head, self.d_k).transpose(1, 2)
        k = self.w_ks(k).view(sz_b, len_k, self.n_head, self.d_k).transpose(1, 2)
        v = self.w_vs(v).view(sz_b, len_k, self.n_head, self.d_v).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(1)
        q, attn = self.attention(q, k, v, mask=mask)
        q = q.transpose(1, 2).contiguous().view(sz_b, len_q, -1)
        return self.layer_norm(self.fc(q) + residual), attn


def get_pad_mask(seq, pad_idx):
    return (seq != pad_idx).unsqueeze(-2)


def get_subsequent_mask(seq):
    sz_b, len_s = seq.size()
    return (1 - torch.triu(torch.ones((1, len_s, len_s)), diagonal=1)).bool()


if __name__ == "__main__":
    torch.manual_seed(0)
    emb = nn.Embedding(30, 16, padding_idx=0)
    slf_attn = MultiHeadAttention(n_head=2, d_model=16, d_k=8, d_v=8)
    trg_seq = torch.tensor([[3, 7, 11, 0], [5, 2, 9, 14]])
    trg_mask = get_pad_mask(trg_seq, 0) & get_subsequent_mask(trg_seq)
    optimizer = torch.optim.SGD(list(emb.parameters()) + list(slf_attn.parameters()), lr=0.1)
    try:
        with torch.autocast(device_type="cpu", dtype=torch.float16):
            out, _ = slf_attn(emb(trg_seq), emb(trg_seq), emb(trg_seq), mask=trg_mask)
            loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        print(f"mixed-precision step ok: loss {loss.item():.4f}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
