import torch
from torch import nn


class _ScaledDotProductAttention(nn.Module):
    """Scaled dot-product attention; attn_mask may be bool (True = mask) or additive float."""

    def __init__(self, d_k):
        super().__init__()
        self.scale = d_k ** -0.5

    def forward(self, q, k, v, attn_mask=None):
        # q: [bs x n_heads x q_len x d_k], k: [bs x n_heads x d_k x q_len], v: [bs x n_heads x q_len x d_v]
        scores = torch.matmul(q, k) * self.scale
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores.masked_fill_(attn_mask, float("-inf"))
            else:
                scores += attn_mask
        attn = torch.softmax(scores, dim=-1)
        return torch.matmul(attn, v), attn


class _MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model, bias=False)
        self.W_K = nn.Linear(d_model, d_model, bias=False)
        self.W_V = nn.Linear(d_model, d_model, bias=False)
        self.sdp_attn = _ScaledDotProductAttention(self.d_k)
        self.W_O = nn.Linear(d_model, d_model)

    def forward(self, Q, K, V, attn_mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        output, attn = self.sdp_attn(q_s, k_s, v_s, attn_mask=attn_mask)
        output = output.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_k)
        return self.W_O(output), attn


class CausalTSTEncoder(nn.Module):
    """Encoder for autoregressive forecasting: each time step sees only past steps."""

    def __init__(self, c_in, d_model=8, n_heads=2):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.self_attn = _MultiHeadAttention(d_model, n_heads)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, c_in)

    def forward(self, x):
        # x: [bs x c_in x q_len]
        u = self.W_P(x.transpose(1, 2))
        q_len = u.shape[1]
        attn_mask = torch.triu(torch.ones(q_len, q_len, device=x.device), diagonal=1).bool()
        z, _ = self.self_attn(u, u, u, attn_mask=attn_mask)
        return self.head(self.norm(u + z)).transpose(1, 2)


def run():
    model = CausalTSTEncoder(c_in=3)
    x = torch.randn(2, 3, 5)
    return model(x)
