import numpy as np
import torch
import torch.nn as nn


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_model, n_heads, attn_dropout=0.):
        super().__init__()
        self.attn_dropout = nn.Dropout(attn_dropout)
        head_dim = d_model // n_heads
        self.scale = nn.Parameter(torch.tensor(head_dim ** -0.5), requires_grad=False)

    def forward(self, q, k, v, prev=None, key_padding_mask=None, attn_mask=None):
        attn_scores = torch.matmul(q, k) * self.scale
        if prev is not None:
            attn_scores = attn_scores + prev
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask
        if key_padding_mask is not None:
            attn_scores.masked_fill_(key_padding_mask.unsqueeze(1).unsqueeze(2), -np.inf)
        attn_weights = self.attn_dropout(torch.softmax(attn_scores, dim=-1))
        return torch.matmul(attn_weights, v), attn_weights


class _MultiheadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model)
        self.W_K = nn.Linear(d_model, d_model)
        self.W_V = nn.Linear(d_model, d_model)
        self.sdp_attn = _ScaledDotProductAttention(d_model, n_heads)
        self.to_out = nn.Linear(d_model, d_model)

    def forward(self, Q, K=None, V=None, key_padding_mask=None, attn_mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        output, attn_weights = self.sdp_attn(q_s, k_s, v_s, key_padding_mask=key_padding_mask, attn_mask=attn_mask)
        output = output.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_k)
        return self.to_out(output), attn_weights


class CausalTSTEncoder(nn.Module):
    def __init__(self, c_in=3, d_model=16, n_heads=2, q_len=10):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.self_attn = _MultiheadAttention(d_model, n_heads)
        self.register_buffer("attn_mask", torch.triu(torch.ones(q_len, q_len), diagonal=1).bool())  # BUG

    def forward(self, x):
        u = self.W_P(x.transpose(1, 2))
        out, attn = self.self_attn(u, u, u, attn_mask=self.attn_mask)
        self.attn = attn
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CausalTSTEncoder()
    xb = torch.randn(4, 3, 10)
    model(xb)
    future = torch.triu(torch.ones(10, 10, dtype=torch.bool), diagonal=1)
    print(f"mean attention weight on future steps: {model.attn[..., future].mean().item():.4f}")
