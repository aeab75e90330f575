import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


def prepare_dynamic_mask(hidden_states, dt_states, attention_mask, keep_window_size=4):
    """Select the top-k keys per head from the dynamic (zoh) scores. Returns a 0/1 mask
    and the bias; both (batch, heads, query_len, key_len)."""
    bsz, q_len = hidden_states.shape[:2]
    attn_bias = dt_states[:, :, None, :].expand(-1, -1, q_len, -1)  # (b, h, q, k)
    causal = torch.ones(q_len, attn_bias.shape[-1], dtype=torch.bool, device=attn_bias.device).tril()
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    attn_bias = attn_bias.masked_fill(~keep, float("-inf"))
    topk = torch.topk(attn_bias, keep_window_size, dim=-1).indices
    attn_mask = torch.zeros_like(attn_bias).scatter(-1, topk, 1.0)
    return attn_mask, attn_bias


def flex_attention_forward(query, key, value, attention_mask, attention_bias, scaling):
    attn_mask = attention_mask[:, :, :, : key.shape[-2]]
    attn_bias = attention_bias[:, :, :, : key.shape[-2]]

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        keep = attn_mask[batch_idx][head_idx][q_idx][kv_idx] > 0
        score = torch.where(keep, score, -float("inf"))
        score = score + attn_bias[batch_idx][head_idx][q_idx][kv_idx]
        return score

    return flex_attention(query, key, value, score_mod=score_mod, scale=scaling)


if __name__ == "__main__":
    torch.manual_seed(0)
    b, h, L, d = 1, 2, 8, 16
    hidden = torch.randn(b, L, 32)
    dt_states = torch.randn(b, h, L)
    attention_mask = torch.ones(b, L, dtype=torch.long)
    mask, bias = prepare_dynamic_mask(hidden, dt_states, attention_mask)
    q, k, v = (torch.randn(b, h, L, d) for _ in range(3))
    out = flex_attention_forward(q, k, v, mask, bias, scaling=d ** -0.5)
    v2 = v.clone()
    v2[:, :, -1] += 1.0  # change the last value vector only
    out2 = flex_attention_forward(q, k, v2, mask, bias, scaling=d ** -0.5)
    print(out.shape)
    print("query 0 output change from the last key:", (out2 - out)[:, :, 0].abs().max().item())
