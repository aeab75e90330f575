import torch
import torch.nn as nn
import torch.nn.functional as F


def sequence_id_attention_mask(sequence_id: torch.Tensor) -> torch.Tensor:
    """sequence_id: (B, L) index of the packed protein each residue belongs to, -1 for padding.

    Returns (B, 1, L, L) bool for SDPA, True = may attend.
    """
    same = sequence_id[:, :, None] == sequence_id[:, None, :]
    valid_key = (sequence_id != -1)[:, None, :]
    eye = torch.eye(sequence_id.size(1), dtype=torch.bool, device=sequence_id.device)
    return ((same & valid_key) | eye).unsqueeze(1)


class PackedProteinAttention(nn.Module):
    def __init__(self, d_model: int = 64, n_heads: int = 4):
        super().__init__()
        self.n_heads = n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 3 * d_model, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x: torch.Tensor, sequence_id: torch.Tensor) -> torch.Tensor:
        b, l, d = x.shape
        q, k, v = self.layernorm_qkv(x).view(b, l, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        mask = sequence_id_attention_mask(sequence_id)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(b, l, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = PackedProteinAttention().eval()
    # two proteins packed in row 0, one protein + 3 padding slots in row 1
    sequence_id = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, -1, -1, -1]])
    x = torch.randn(2, 7, 64)
    with torch.no_grad():
        out = attn(x, sequence_id)
        x2 = x.clone()
        x2[1, 6] = torch.randn(64) * 3  # perturb one padding slot
        out2 = attn(x2, sequence_id)
    print("other padding slots changed:", (out2[1, 4:6] - out[1, 4:6]).abs().max().item())
