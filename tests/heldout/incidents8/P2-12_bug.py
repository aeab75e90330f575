import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


def prepare_dynamic_mask(attn_bias: torch.Tensor, keep_window_size: int) -> torch.Tensor:
    topk_values, topk_indices = torch.topk(attn_bias, keep_window_size, dim=-1, largest=True, sorted=False)
    attn_mask = torch.zeros_like(attn_bias, dtype=attn_bias.dtype)
    attn_mask = attn_mask.scatter(-1, topk_indices, 1.0)  # BUG
    return attn_mask


def flex_attention_forward(
    query_states: torch.Tensor,
    key_states: torch.Tensor,
    value_states: torch.Tensor,
    attn_bias: torch.Tensor,
    keep_window_size: int,
    is_causal: bool = True,
    scaling: float | None = None,
):
    attn_mask = prepare_dynamic_mask(attn_bias, keep_window_size)

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = score + attn_bias[batch_idx][head_idx][q_idx][kv_idx]
        score = score + attn_mask[batch_idx][head_idx][q_idx][kv_idx]  # BUG
        return score

    out = flex_attention(
        query_states, key_states, value_states, score_mod=score_mod, block_mask=None, scale=scaling  # BUG
    )
    return out.transpose(1, 2).contiguous()


if __name__ == "__main__":
    torch.manual_seed(0)
    b, h, n, d = 1, 2, 16, 32
    q, k, v = (torch.randn(b, h, n, d) for _ in range(3))
    dt = torch.randn(b, h, n)
    attn_bias = dt[:, :, None, :].expand(b, h, n, n).contiguous()
    out = flex_attention_forward(q, k, v, attn_bias, keep_window_size=8, is_causal=True)
    print(out.shape, torch.isnan(out).any().item())
