import torch
import torch.nn as nn
import torch.nn.functional as F


class SharedProjectionAttention(nn.Module):
    """Keeps its own in/out projection so it can be shared across several encoders."""

    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x, key_padding_mask):
        out, _ = F.multi_head_attention_forward(
            x, x, x, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias,
            None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=False,
        )
        return out


def lengths_to_padding_mask(lengths, max_len):
    steps = torch.arange(max_len)
    return steps[:, None] >= lengths[None, :]  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    S, N, E = 20, 6, 16
    attn = SharedProjectionAttention(E, 4)
    x = torch.randn(S, N, E)
    lengths = torch.tensor([20, 17, 12, 20, 5, 9])
    kpm = lengths_to_padding_mask(lengths, S)
    try:
        out = attn(x, kpm)
        noisy = x.clone()
        noisy[12:, 2] = 50.0
        out2 = attn(noisy, kpm)
        print(f"sample 2 (len 12) valid outputs change when its padding changes: {(out[:12, 2] - out2[:12, 2]).abs().max().item():.3e}")
    except (AssertionError, RuntimeError) as e:
        print(f"raised {type(e).__name__}: {e}")
