import torch
import torch.nn.functional as F
from torch import nn


def prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, dtype):
    """Additive (B, 1, Q, K) mask: 0 where attention is allowed, finfo.min elsewhere."""
    bsz, q_len = input_shape
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((q_len, q_len), min_dtype, dtype=dtype).triu(1)
    expanded = causal[None, None].expand(bsz, 1, q_len, q_len).clone()
    padding = attention_mask[:, None, None, :] == 0
    expanded = expanded.masked_fill(padding, min_dtype)
    # Attend to all tokens in fully masked rows (left padding); the memory-efficient SDPA
    # kernel returns NaN for rows where every entry is finfo.min.
    fully_masked = torch.all(expanded == min_dtype, dim=-1, keepdim=True)
    return expanded.mul(~fully_masked)


class FalconAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, q_len, _ = hidden_states.shape
        q, k, v = self.query_key_value(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.dense(out.transpose(1, 2).reshape(b, q_len, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = FalconAttention().eval()
    input_ids_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])  # tokenizer padding_side="left"
    mask = prepare_4d_causal_attention_mask_for_sdpa(input_ids_mask, (2, 6), torch.float32)
    min_dtype = torch.finfo(torch.float32).min
    print("query rows with no attendable key:", int(torch.all(mask == min_dtype, dim=-1).sum()))
    with torch.no_grad():
        out = attn(torch.randn(2, 6, 32), mask)
    print(out.shape, "nan:", torch.isnan(out).any().item())
