"""Fixed-length chunks: each Dataset item is one (L,) sequence and its keep mask; the DataLoader's
default collate stacks them to (N, L).  Correct code."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

PAD = 0


class Chunks(Dataset):
    def __init__(self, seqs, length=128):
        self.seqs, self.length = seqs, length

    def __len__(self):
        return len(self.seqs)

    def __getitem__(self, i):
        ids = torch.full((self.length,), PAD, dtype=torch.long)
        s = torch.as_tensor(self.seqs[i][: self.length])
        ids[: len(s)] = s
        return {"input_ids": ids, "keep": ids != PAD}


class Encoder(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, batch):
        x = self.emb(batch["input_ids"])
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=batch["keep"][:, None, None, :])
        return out.transpose(1, 2).reshape(b, n, d)


def train(seqs):
    model = Encoder()
    for batch in DataLoader(Chunks(seqs), batch_size=16):
        model(batch).sum().backward()
