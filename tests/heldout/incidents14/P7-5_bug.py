import torch
import torch.nn.functional as F


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def sdpa_mask(batch_size, cache_position, kv_length, attention_mask=None, allow_torch_fix=True, **kwargs):
    """Boolean SDPA mask (True = attend) as built by transformers.masking_utils; allow_torch_fix has no effect."""
    q_idx = cache_position[:, None]
    kv_idx = torch.arange(kv_length)[None, :]
    mask = causal_mask_function(None, None, q_idx, kv_idx)[None, None].expand(batch_size, 1, -1, -1)
    if attention_mask is not None:
        mask = mask & attention_mask.bool()[:, None, None, :]
    return mask


_original_sdpa_mask = sdpa_mask


def unsloth_sdpa_mask(*args, **kwargs):
    mask = _original_sdpa_mask(*args, **kwargs)
    if mask is None or mask.dtype != torch.bool:
        return mask
    unattended = ~mask.any(dim=-1, keepdim=True)
    mask = mask  # BUG
    return mask


class Gemma4TextAttention(torch.nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv = torch.nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = torch.nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Gemma4TextAttention().half().eval()
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = unsloth_sdpa_mask(batch_size=2, cache_position=torch.arange(6), kv_length=6, attention_mask=attention_mask)
    with torch.no_grad():
        out = attn(torch.randn(2, 6, 16).half(), mask)
    rows = int((~mask.any(-1)).sum())
    print(f"query rows attending to no key: {rows} (NaN in CPU fp16 output: {int(torch.isnan(out).sum())})")
