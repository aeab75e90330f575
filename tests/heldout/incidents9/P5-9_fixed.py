import torch
import torch.nn.functional as F
from torch import nn


def get_rectangular_causal_mask(shape, q_seq_len, k_seq_len, device, dtype):
    """Additive causal mask aligned to the END of the keys (for decoding with a cache)."""
    mask = torch.ones((q_seq_len, k_seq_len), device=device, dtype=torch.bool)
    mask[:, -q_seq_len:] = torch.tril(mask[:, -q_seq_len:], diagonal=0)
    out = torch.zeros((*shape, q_seq_len, k_seq_len), device=device, dtype=dtype)
    return out.masked_fill(~mask, torch.finfo(dtype).min)


def xformers_attn(queries, keys, values, is_causal, attention_mask=None):
    # queries/keys/values: (B, S, H, D) as in the xformers API
    q, k, v = (t.transpose(1, 2) for t in (queries, keys, values))
    bias = None
    if is_causal and queries.shape[1] > 1:
        bias = get_rectangular_causal_mask((1, 1), q.shape[2], k.shape[2], q.device, q.dtype)
    if attention_mask is not None:
        pad = torch.zeros_like(attention_mask, dtype=q.dtype).masked_fill(attention_mask == 0, torch.finfo(q.dtype).min)
        pad = pad[:, None, None, :]
        bias = pad if bias is None else torch.maximum(bias + pad, torch.tensor(torch.finfo(q.dtype).min))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2)


class CustomAttn(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, dim // n_heads
        self.in_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.out_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, past_kv=None, attention_mask=None):
        b, s, _ = x.shape
        q, k, v = (t.view(b, s, self.n_heads, self.head_dim) for t in self.in_proj(x).chunk(3, -1))
        if past_kv is not None:
            k, v = torch.cat([past_kv[0], k], 1), torch.cat([past_kv[1], v], 1)
        out = xformers_attn(q, k, v, is_causal=True, attention_mask=attention_mask)
        return self.out_proj(out.reshape(b, s, -1)), (k, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = CustomAttn().eval()
    prompt = torch.randn(2, 5, 32)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])  # left-padded batch for generation
    with torch.no_grad():
        out, cache = attn(prompt, attention_mask=attention_mask)
        step, _ = attn(torch.randn(2, 1, 32), past_kv=cache, attention_mask=torch.cat([attention_mask, torch.ones(2, 1, dtype=torch.long)], 1))
        ref, _ = attn(prompt[:1, 2:], attention_mask=torch.ones(1, 3, dtype=torch.long))
    print(out.shape, step.shape)
    print("prompt 0, left-padded vs unpadded last position:", (out[0, -1] - ref[0, -1]).abs().max().item())
