"""Buggy: torch.where(mask, scores, -1e9) keeps where True, but the mask is the collate
function's padding mask (True = pad): padded samples attend only to their padding and full ones
to nothing (uniform)."""
import torch
import torch.nn as nn

KIND = "buggy"


def collate(seqs, pad_id=0):
    longest = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), longest), pad_id)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    return {"input_ids": ids, "pad_mask": ids == pad_id}


class Reranker(nn.Module):
    def __init__(self, vocab=30, dim=16, heads=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.score = nn.Linear(dim, 1)

    def forward(self, input_ids, pad_mask):
        x = self.emb(input_ids)
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        logits = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5
        logits = torch.where(pad_mask[:, None, None, :], logits, -1e9)  # expect: ML102
        h = (logits.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        return self.score(h[:, 0]).squeeze(-1)


def run():
    torch.manual_seed(0)
    batch = collate([[5, 7, 9, 2, 4], [3, 8], [6, 6, 1]])
    return Reranker()(batch["input_ids"], batch["pad_mask"])
