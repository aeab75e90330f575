# nanoGPT-style attention with document masking for packed pretraining rows.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class DocCausalSelfAttention(nn.Module):
    def __init__(self, n_embd: int, n_head: int, dropout: float = 0.0):
        super().__init__()
        assert n_embd % n_head == 0
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.n_head = n_head
        self.dropout = dropout

    def forward(self, x, seq_ids):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)

        causal = torch.ones(T, T, dtype=torch.bool, device=x.device)
        causal.tril_()
        same_doc = torch.eq(seq_ids.unsqueeze(-1), seq_ids.unsqueeze(-2))
        keep = torch.logical_and(causal, same_doc)            # True = may attend
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=keep.unsqueeze(1),                      # (B, 1, T, T)
            dropout_p=self.dropout if self.training else 0.0,
        )
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = DocCausalSelfAttention(n_embd, n_head)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x, seq_ids):
        x = x + self.attn(self.ln_1(x), seq_ids)
        return x + self.mlp(self.ln_2(x))


def pack_documents(docs, block_size, eos_id):
    """Greedy packing; returns token rows and the document index of each token."""
    flat, ids = [], []
    for i, d in enumerate(docs):
        flat.extend(d + [eos_id])
        ids.extend([i] * (len(d) + 1))
    n = len(flat) // block_size
    toks = torch.tensor(flat[: n * block_size]).view(n, block_size)
    sids = torch.tensor(ids[: n * block_size]).view(n, block_size)
    return toks, sids


if __name__ == "__main__":
    torch.manual_seed(0)
    docs = [[5, 6, 7], [8, 9], [10, 11, 12, 13], [3, 4, 5, 6, 7, 8]]
    toks, sids = pack_documents(docs, block_size=6, eos_id=1)
    emb = nn.Embedding(32, 64)
    blk = Block(64, 4)
    out = blk(emb(toks), sids)
    print(out.shape, math.isfinite(out.sum().item()))
