import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.d_model, self.n_heads = d_model, n_heads
        self.d_head = d_model // n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, d_model * 3, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, seq_id):
        qkv_BLD3 = self.layernorm_qkv(x)
        query_BLD, key_BLD, value_BLD = torch.chunk(qkv_BLD3, 3, dim=-1)
        B, L, _ = x.shape
        reshaper = lambda t: t.view(B, L, self.n_heads, self.d_head).transpose(1, 2)
        query_BHLD, key_BHLD, value_BHLD = map(reshaper, (query_BLD, key_BLD, value_BLD))

        if seq_id is not None:
            mask_BLL = (seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)) & (seq_id != -1).unsqueeze(-2)  # BUG
            mask_BHLL = mask_BLL.unsqueeze(1)
            context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD, mask_BHLL)
        else:
            context_BHLD = F.scaled_dot_product_attention(query_BHLD, key_BHLD, value_BHLD)
        context_BLD = context_BHLD.transpose(1, 2).reshape(B, L, self.d_model)
        return self.out_proj(context_BLD)


class TransformerStack(nn.Module):
    def __init__(self, d_model=16, n_heads=2, n_layers=2):
        super().__init__()
        self.blocks = nn.ModuleList(MultiHeadAttention(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model, bias=False)

    def forward(self, x, sequence_id=None):
        for block in self.blocks:
            x = x + block(x, sequence_id)
        return self.norm(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    stack = TransformerStack().eval()
    x = torch.randn(1, 7, 16)
    sequence_id = torch.tensor([[0, 0, 0, 1, 1, -1, -1]])
    with torch.no_grad():
        out = stack(x, sequence_id)
        x2 = x.clone()
        x2[:, 6] = torch.randn(16)
        out2 = stack(x2, sequence_id)
    print(f"padding position 5 changes when padding position 6 changes: {(out[0, 5] - out2[0, 5]).abs().max().item():.4f}")
