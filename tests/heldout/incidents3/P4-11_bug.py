import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_attention(q, k, v, attention_mask=None, dropout_p=0.0):
    """attention_mask: optional (B, 1, 1, K) bool padding mask, True = real token."""
    q_len, k_len = q.shape[2], k.shape[2]
    is_causal = attention_mask is None and q_len > 1  # BUG
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=dropout_p, is_causal=is_causal)  # BUG


class GPT2Attention(nn.Module):
    def __init__(self, n_embd=64, n_head=4, attn_pdrop=0.0):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_pdrop = attn_pdrop

    def forward(self, hidden_states, attention_mask=None):
        b, t, c = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).split(c, dim=2)
        q, k, v = (z.view(b, t, self.n_head, -1).transpose(1, 2) for z in (q, k, v))
        out = sdpa_attention(q, k, v, attention_mask, self.attn_pdrop if self.training else 0.0)
        return self.c_proj(out.transpose(1, 2).reshape(b, t, c))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = GPT2Attention().eval()
    x = torch.randn(2, 5, 64)
    pad = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]).bool()[:, None, None, :]
    with torch.no_grad():
        with_mask = attn(x, pad)
        without_mask = attn(x)
    # sample 0 has no padding, so both calls must agree on it
    print("unpadded sample identical with/without padding mask:", torch.allclose(with_mask[0], without_mask[0], atol=1e-6))
