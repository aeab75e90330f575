"""Protein LM attention over batched (possibly multi-chain) sequences; chains are separated by sequence_id."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 3 * d_model, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, seq_id):
        B, L, D = x.shape
        q, k, v = self.layernorm_qkv(x).view(B, L, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        if seq_id is not None:
            mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG
            mask_BHLL = mask_BLL.unsqueeze(1)
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_BHLL)
        else:
            ctx = F.scaled_dot_product_attention(q, k, v)
        return self.out_proj(ctx.transpose(1, 2).reshape(B, L, D))


class ProteinEncoder(nn.Module):
    def __init__(self, vocab=33, d_model=32, n_layers=2, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_idx)
        self.blocks = nn.ModuleList([MultiHeadAttention(d_model) for _ in range(n_layers)])

    def forward(self, tokens, sequence_id=None):
        if sequence_id is None:
            sequence_id = torch.zeros_like(tokens)
        sequence_id = sequence_id.masked_fill(tokens == self.pad_idx, -1)
        x = self.embed(tokens)
        for blk in self.blocks:
            x = x + blk(x, sequence_id)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ProteinEncoder()
    tokens = torch.randint(4, 33, (2, 9))
    tokens[1, 6:] = 1
    seq_id = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0]])
    print(model(tokens, seq_id).shape)
