"""MiniMind-V style LM (model.py excerpt): attention uses SDPA with
is_causal=True only; padding is handled by the loss mask.  For left-padded
batched generation the real tokens attend the pad tokens."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class LMConfig:
    dim: int = 32
    n_heads: int = 4
    n_layers: int = 2
    vocab_size: int = 64
    flash_attn: bool = True


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_heads, self.head_dim = args.n_heads, args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.dim, bias=False)
        self.wk = nn.Linear(args.dim, args.dim, bias=False)
        self.wv = nn.Linear(args.dim, args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)

    def forward(self, x, attention_mask=None):
        bsz, seqlen, _ = x.shape
        xq, xk, xv = (w(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        output = F.scaled_dot_product_attention(xq, xk, xv, is_causal=True)  # BUG
        return self.wo(output.transpose(1, 2).reshape(bsz, seqlen, -1))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig = LMConfig()):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList(Attention(params) for _ in range(params.n_layers))
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, **kwargs):
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h)  # BUG
        return self.output(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MiniMindLM().eval()
    ids = torch.tensor([[0, 0, 5, 9, 12], [7, 3, 5, 9, 12]])
    attention_mask = (ids != 0).long()
    ids2 = ids.clone(); ids2[0, :2] = 33  # different pad content
    with torch.no_grad():
        a = model(ids, attention_mask=attention_mask)
        b = model(ids2, attention_mask=attention_mask)
    print("real-token logit change from left-pad content:", (a[0, 2:] - b[0, 2:]).abs().max().item())
