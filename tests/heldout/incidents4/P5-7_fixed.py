import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class LMConfig:
    vocab_size: int = 6400
    dim: int = 128
    n_layers: int = 2
    n_heads: int = 4
    max_seq_len: int = 512
    pad_token_id: int = 0


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.wqkv = nn.Linear(args.dim, 3 * args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)

    def forward(self, x, pos_emb, attn_mask=None):
        bsz, seqlen, _ = x.shape
        xq, xk, xv = self.wqkv(x).view(bsz, seqlen, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        xq, xk = xq + pos_emb, xk + pos_emb
        output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=attn_mask)
        return self.wo(output.transpose(1, 2).reshape(bsz, seqlen, -1))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig):
        super().__init__()
        self.params = params
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.pos = nn.Parameter(torch.randn(params.max_seq_len, params.dim // params.n_heads) * 0.02)
        self.layers = nn.ModuleList([Attention(params) for _ in range(params.n_layers)])
        self.norm = nn.LayerNorm(params.dim)
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, **kwargs):
        h = self.tok_embeddings(input_ids)
        seqlen = input_ids.size(1)
        attn_mask = torch.ones(seqlen, seqlen, dtype=torch.bool, device=input_ids.device).tril()[None, None]
        if attention_mask is not None:
            attn_mask = attn_mask & attention_mask.bool()[:, None, None, :]
            attn_mask = attn_mask | ~attention_mask.bool()[:, None, :, None]
        pos_emb = self.pos[: input_ids.size(1)]
        for layer in self.layers:
            h = h + layer(h, pos_emb, attn_mask=attn_mask)
        return self.output(self.norm(h))


def sft_loss(model, batch):
    logits = model(batch["input_ids"][:, :-1], attention_mask=batch["attention_mask"][:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), batch["input_ids"][:, 1:].reshape(-1), reduction="none")
    loss_mask = batch["loss_mask"][:, 1:].reshape(-1).float()
    return (loss * loss_mask).sum() / loss_mask.sum()


@torch.no_grad()
def batched_eval(model, tokenizer_batch):
    logits = model(tokenizer_batch["input_ids"], attention_mask=tokenizer_batch["attention_mask"])
    return logits[:, -1].argmax(-1)
