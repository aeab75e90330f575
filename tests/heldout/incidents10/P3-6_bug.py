"""Functional multi-head attention call (pytorch#99945/#97111 style) with a
padding mask laid out (S, N).  Torch raises on the bug (key_padding_mask
shape assertion)."""
import torch
import torch.nn.functional as F

S, N, E, H = 20, 6, 16, 2


def init_params(embed_dim):
    g = torch.Generator().manual_seed(0)
    return {
        "in_proj_weight": torch.randn(3 * embed_dim, embed_dim, generator=g) * 0.1,
        "in_proj_bias": torch.zeros(3 * embed_dim),
        "out_proj_weight": torch.randn(embed_dim, embed_dim, generator=g) * 0.1,
        "out_proj_bias": torch.zeros(embed_dim),
    }


def self_attention(x, lengths, p):
    """x: (S, N, E)."""
    positions = torch.arange(x.size(0))[:, None]  # BUG
    key_padding_mask = positions >= lengths[None, :]  # BUG
    out, _ = F.multi_head_attention_forward(
        x, x, x, E, H, p["in_proj_weight"], p["in_proj_bias"], None, None, False, 0.0,
        p["out_proj_weight"], p["out_proj_bias"], training=False, key_padding_mask=key_padding_mask,
        need_weights=False)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    p = init_params(E)
    x = torch.randn(S, N, E)
    lengths = torch.tensor([20, 15, 10, 20, 5, 12])
    x2 = x.clone(); x2[15:, 1] = torch.randn(5, E) * 10
    a, b = self_attention(x, lengths, p), self_attention(x2, lengths, p)
    print("real-token change from pad content (sample 1):", (a[:15, 1] - b[:15, 1]).abs().max().item())
