import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 3 * d_model, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, seq_id):
        b, n, d = x.shape
        q, k, v = self.layernorm_qkv(x).view(b, n, 3, self.n_heads, self.d_head).permute(2, 0, 3, 1, 4)
        if seq_id is not None:
            mask = (seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)) & (seq_id != -1).unsqueeze(-1) & (seq_id != -1).unsqueeze(-2)
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.unsqueeze(1))
        else:
            context = F.scaled_dot_product_attention(q, k, v)
        return self.out_proj(context.transpose(1, 2).reshape(b, n, d))


class TransformerStack(nn.Module):
    def __init__(self, vocab=33, d_model=32, n_layers=2, pad_token_id=1):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([MultiHeadAttention(d_model) for _ in range(n_layers)])

    def forward(self, sequence_tokens, chain_ids):
        seq_id = chain_ids.masked_fill(sequence_tokens == self.pad_token_id, -1)
        x = self.embed(sequence_tokens)
        for blk in self.blocks:
            x = x + blk(x, seq_id)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerStack().eval()
    tokens = torch.tensor([[0, 5, 9, 12, 7, 2, 1, 1], [0, 6, 6, 2, 1, 1, 1, 1]])
    chain_ids = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]])
    with torch.no_grad():
        out = model(tokens, chain_ids)
    pad = tokens == model.pad_token_id
    real_vs_alone = (out[1, :4] - model(tokens[1:, :4], chain_ids[1:, :4])[0]).abs().max().item()
    pad_update = (out[pad] - model.embed(tokens)[pad]).abs().max().item()
    print(f"attention update at pad positions {pad_update:.4f}; non-pad vs unpadded max |diff| {real_vs_alone:.4f}")
