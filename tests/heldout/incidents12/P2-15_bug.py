import math

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, causal=True, softmax_scale=None, attention_dropout=0.0):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale
        self.drop = nn.Dropout(attention_dropout)

    def forward(self, qkv, causal=None, key_padding_mask=None):
        causal = self.causal if causal is None else causal
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attention = self.drop(torch.softmax(scores, dim=-1, dtype=v.dtype))
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, n_embd=64, n_head=4):
        super().__init__()
        self.n_head = n_head
        self.head_dim = n_embd // n_head
        self.Wqkv = nn.Linear(n_embd, 3 * n_embd)
        self.inner_attn = SelfAttention(causal=True)
        self.out_proj = nn.Linear(n_embd, n_embd)

    def forward(self, x, past_key_values=None, attention_mask=None, **kwargs):
        qkv = self.Wqkv(x)
        qkv = qkv.view(*qkv.shape[:2], 3, self.n_head, self.head_dim)
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)  # BUG
        return self.out_proj(context.flatten(-2))


class ParallelBlock(nn.Module):
    def __init__(self, n_embd=64):
        super().__init__()
        self.ln = nn.LayerNorm(n_embd)
        self.mixer = MHA(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, hidden_states, attention_mask=None):
        h = self.ln(hidden_states)
        return hidden_states + self.mixer(h, attention_mask=attention_mask) + self.mlp(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = ParallelBlock().eval()
    hidden = torch.randn(2, 6, 64)
    attention_mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            out = block(hidden, attention_mask=attention_mask)
        print(f"ok: output {tuple(out.shape)}, finite={bool(torch.isfinite(out).all())}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
