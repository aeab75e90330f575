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
        """seq_id: (B, L) — which sequence each token belongs to (False/0 for padding)."""
        B, L, D = x.shape
        q, k, v = (t.view(B, L, self.n_heads, -1).transpose(1, 2) for t in self.layernorm_qkv(x).chunk(3, -1))
        if seq_id is not None:
            # where each token may attend: tokens of the same sequence
            mask_BLL = seq_id.unsqueeze(-1) & seq_id.unsqueeze(-2)
            mask_BHLL = mask_BLL.unsqueeze(1)
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_BHLL)
        else:
            context = F.scaled_dot_product_attention(q, k, v)
        return self.out_proj(context.transpose(1, 2).reshape(B, L, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    VOCAB_SIZE, PAD_TOKEN = 64, 0
    embed = nn.Embedding(VOCAB_SIZE, 32)
    attn = MultiHeadAttention().eval()
    input_ids = torch.randint(1, VOCAB_SIZE, (2, 6))
    input_ids[1, -3:] = PAD_TOKEN
    seq_id = input_ids != PAD_TOKEN
    with torch.no_grad():
        x = embed(input_ids)
        out = attn(x, seq_id)
        alone = attn(x[1:, :3], seq_id[1:, :3])
    print(out.shape)
    print("non-pad tokens match the unpadded run:", torch.allclose(out[1, :3], alone[0], atol=1e-6))
    print("pad-token states (should carry nothing):", out[1, 3:].abs().max().item())
