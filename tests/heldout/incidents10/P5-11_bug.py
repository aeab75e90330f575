"""ESM-style multi-sequence attention: sequence_id tells which chain a token
belongs to (-1 for padding); tokens attend only within their chain.  Real
tokens are correct either way, but pad positions attend to each other, so
pad states depend on pad content (pad states differ between batches)."""
import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 3 * d_model, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, seq_id):
        b, s, d = x.shape
        q, k, v = self.layernorm_qkv(x).view(b, s, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        if seq_id is not None:
            mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG
            mask_BHLL = mask_BLL.unsqueeze(1)
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_BHLL)
        else:
            o = F.scaled_dot_product_attention(q, k, v)
        return self.out_proj(o.transpose(1, 2).reshape(b, s, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = MultiHeadAttention()
    x = torch.randn(1, 8, 32)
    seq_id = torch.tensor([[0, 0, 0, 1, 1, -1, -1, -1]])
    x2 = x.clone(); x2[0, 5:] = torch.randn(3, 32) * 10
    with torch.no_grad():
        a, b = attn(x, seq_id), attn(x2, seq_id)
    print("real-token change:", (a[0, :5] - b[0, :5]).abs().max().item(),
          "| pad-state change from pad content:", (a[0, 5:] - b[0, 5:]).abs().max().item())
