"""Migrating an nn.MultiheadAttention model to SDPA: the stored key_padding_mask (True = pad) is
inverted and expanded to (B, H, L, S)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def mha_kpm_to_sdpa(kpm: torch.Tensor, heads: int, q_len: int) -> torch.Tensor:
    B, S = kpm.shape
    return (~kpm).view(B, 1, 1, S).expand(B, heads, q_len, S)


class MigratedAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)

    def forward(self, x, key_padding_mask):
        B, L, D = x.shape
        q, k, v = self.in_proj(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = mha_kpm_to_sdpa(key_padding_mask, self.heads, L)
        return self.out_proj(F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(B, L, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(64, 4, batch_first=True)
    mig = MigratedAttention()
    mig.in_proj.weight.data, mig.in_proj.bias.data = mha.in_proj_weight.data, mha.in_proj_bias.data
    mig.out_proj.load_state_dict(mha.out_proj.state_dict())
    x = torch.randn(2, 7, 64)
    kpm = torch.zeros(2, 7, dtype=torch.bool); kpm[1, 4:] = True
    print("same as MHA:", torch.allclose(mig(x, kpm), mha(x, x, x, key_padding_mask=kpm)[0], atol=1e-5))
