import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class LMConfig:
    dim = 64
    n_layers = 2
    n_heads = 4
    vocab_size = 200
    dropout = 0.0
    flash_attn = True


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.dim, bias=False)
        self.wk = nn.Linear(args.dim, args.dim, bias=False)
        self.wv = nn.Linear(args.dim, args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)
        self.dropout = args.dropout
        self.flash = hasattr(F, "scaled_dot_product_attention") and args.flash_attn

    def forward(self, x: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        bsz, seq_len, _ = x.shape
        xq = self.wq(x).view(bsz, seq_len, self.n_heads, self.head_dim).transpose(1, 2)
        xk = self.wk(x).view(bsz, seq_len, self.n_heads, self.head_dim).transpose(1, 2)
        xv = self.wv(x).view(bsz, seq_len, self.n_heads, self.head_dim).transpose(1, 2)
        if self.flash and seq_len != 1:
            dropout_p = self.dropout if self.training else 0.0
            if attention_mask is not None:
                causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=x.device).tril()
                attn_mask = causal[None, None] & attention_mask[:, None, None, :].bool()
                output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=attn_mask, dropout_p=dropout_p)
            else:
                output = F.scaled_dot_product_attention(xq, xk, xv, dropout_p=dropout_p, is_causal=True)
        else:
            scores = (xq @ xk.transpose(-2, -1)) / math.sqrt(self.head_dim)
            scores = scores + torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)
            output = F.softmax(scores.float(), dim=-1).type_as(xq) @ xv
        return self.wo(output.transpose(1, 2).reshape(bsz, seq_len, -1))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig = LMConfig()):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList(Attention(params) for _ in range(params.n_layers))
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.output(h)


if __name__ == "__main__":
    model = MiniMindLM()
    X = torch.randint(1, 200, (2, 9))
    X[1, :4] = 0
    attention_mask = (X != 0).long()
    loss_mask = attention_mask[:, 1:].float()
    logits = model(X, attention_mask=attention_mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 200), X[:, 1:].reshape(-1), reduction="none")
    print((loss * loss_mask.view(-1)).sum() / loss_mask.sum())
