import torch
from torch import nn


def _flash_attention_forward(query, key, value, attention_mask, query_length, is_causal):
    """Reference version of the FA2 wrapper: padding comes from the 2-D `attention_mask`
    (1 = real token, handled by unpadding in the real kernel); causality only from `is_causal`."""
    scores = query @ key.transpose(-1, -2) / query.shape[-1] ** 0.5
    keep = torch.ones_like(scores, dtype=torch.bool)
    if attention_mask is not None:
        keep = keep & attention_mask.bool()[:, None, None, :]
    if is_causal:
        keep = keep & torch.ones(query_length, key.shape[-2], dtype=torch.bool).tril()
    probs = scores.masked_fill(~keep, float("-inf")).softmax(-1).nan_to_num(0.0)
    return probs @ value


class GPT2FlashAttention2(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, is_cross_attention=False):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.is_cross_attention = is_cross_attention
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2)
        q, k, v = (t.view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2) for t in (q, k, v))
        is_causal = attention_mask is None and q_len > 1 and not self.is_cross_attention  # BUG
        attn_output = _flash_attention_forward(q, k, v, attention_mask, q_len, is_causal=is_causal)
        return self.c_proj(attn_output.transpose(1, 2).reshape(bsz, q_len, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = GPT2FlashAttention2().eval()
    x = torch.randn(2, 6, 32)
    left_padded = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        out = attn(x, left_padded)
        x2 = x.clone()
        x2[:, -1] = torch.randn(2, 32)
        out2 = attn(x2, left_padded)
    print(out.shape)
    print("prompt positions change when the last token changes:", (out2 - out)[:, :-1].abs().max().item())
