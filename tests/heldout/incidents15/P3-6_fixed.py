import torch
import torch.nn.functional as F


def attention_pool(query, key, value, lengths, num_heads, in_proj_weight, in_proj_bias, out_proj):
    """query/key/value: (S, N, E) as expected by F.multi_head_attention_forward."""
    S, N, E = key.shape
    positions = torch.arange(S).unsqueeze(1)
    key_padding_mask = (positions >= lengths.unsqueeze(0)).t()  # BUG
    out, weights = F.multi_head_attention_forward(
        query, key, value, E, num_heads,
        in_proj_weight, in_proj_bias,
        None, None, False, 0.0,
        out_proj.weight, out_proj.bias,
        training=False,
        key_padding_mask=key_padding_mask,
        need_weights=True,
    )
    return out, weights, key_padding_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    S, N, E, H = 7, 3, 8, 2
    x = torch.randn(S, N, E)
    lengths = torch.tensor([7, 4, 2])
    in_proj_weight = torch.randn(3 * E, E) * 0.3
    in_proj_bias = torch.zeros(3 * E)
    out_proj = torch.nn.Linear(E, E)
    try:
        out, weights, kpm = attention_pool(x, x, x, lengths, H, in_proj_weight, in_proj_bias, out_proj)
        pad = torch.arange(S)[None, :] >= lengths[:, None]
        on_pad = weights.masked_select(pad[:, None, :].expand_as(weights)).sum().item()
        print(f"ok, attention mass on padded keys: {on_pad:.4f}")
    except (AssertionError, RuntimeError) as e:
        print(f"{type(e).__name__}: {e}")
