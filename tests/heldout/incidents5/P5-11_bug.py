"""Protein language model attention over packed sequences (config-driven, SDPA)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ESMArgs:
    d_model: int = 32
    n_heads: int = 4
    n_layers: int = 2
    vocab_size: int = 33
    pad_id: int = 1


class MultiHeadAttention(nn.Module):
    def __init__(self, args: ESMArgs):
        super().__init__()
        self.args = args
        self.qkv = nn.Linear(args.d_model, 3 * args.d_model, bias=False)
        self.out = nn.Linear(args.d_model, args.d_model, bias=False)

    def forward(self, x, seq_id):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.args.n_heads, -1).permute(2, 0, 3, 1, 4)
        mask = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.unsqueeze(1))  # BUG
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class ESMEncoder(nn.Module):
    def __init__(self, args: ESMArgs):
        super().__init__()
        self.args = args
        self.embed = nn.Embedding(args.vocab_size, args.d_model, padding_idx=args.pad_id)
        self.blocks = nn.ModuleList(MultiHeadAttention(args) for _ in range(args.n_layers))
        self.norm = nn.LayerNorm(args.d_model)

    def forward(self, tokens, seq_id=None):
        if seq_id is None:
            # one sequence per row; padding gets id -1
            seq_id = torch.where(tokens == self.args.pad_id, -1, 0)
        h = self.embed(tokens)
        for blk in self.blocks:
            h = h + blk(self.norm(h), seq_id)
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    args = ESMArgs()
    enc = ESMEncoder(args).eval()
    toks = torch.tensor([[5, 6, 7, 8, 1, 1], [9, 10, 11, 12, 13, 14]])
    with torch.no_grad():
        h = enc(toks)
        h_alone = enc(toks[:1, :4])
    print("real tokens ok:", torch.allclose(h[0, :4], h_alone[0], atol=1e-5))
    print("pad states:", h[0, 4:].abs().sum().item())
