"""SASRec-style next-item recommender; batches are dicts produced by the collator."""
from typing import Dict

import torch
import torch.nn as nn

PAD_ITEM = 0


def collate(histories, max_len: int = 20) -> Dict[str, torch.Tensor]:
    """Left-pads item histories; attention_mask follows the HF convention (1 = real item)."""
    seqs = torch.full((len(histories), max_len), PAD_ITEM, dtype=torch.long)
    attention_mask = torch.zeros(len(histories), max_len, dtype=torch.long)
    for i, h in enumerate(histories):
        h = h[-max_len:]
        seqs[i, max_len - len(h):] = torch.tensor(h)
        attention_mask[i, max_len - len(h):] = 1
    return {"item_ids": seqs, "attention_mask": attention_mask}


class SASRecBlock(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dim, dim))

    def forward(self, x, causal, pad):
        q = self.ln1(x)
        h, _ = self.attn(q, x, x, attn_mask=causal, key_padding_mask=pad)
        x = q + h
        return x + self.ffn(self.ln2(x))


class SASRec(nn.Module):
    def __init__(self, n_items: int, dim: int = 64, heads: int = 2, layers: int = 2, max_len: int = 20):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, dim, padding_idx=PAD_ITEM)
        self.pos_emb = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(SASRecBlock(dim, heads, 0.2) for _ in range(layers))
        self.register_buffer(
            "causal", torch.ones(max_len, max_len, dtype=torch.bool).triu(1), persistent=False
        )

    def forward(self, batch: Dict[str, torch.Tensor]) -> torch.Tensor:
        ids = batch["item_ids"]
        L = ids.size(1)
        x = self.item_emb(ids) * self.item_emb.embedding_dim ** 0.5
        x = x + self.pos_emb(torch.arange(L, device=ids.device))
        pad = batch["attention_mask"].bool()
        for blk in self.blocks:
            x = blk(x, self.causal[:L, :L], pad)  # expect: ML101
        return x

    def score(self, batch, candidates):
        h = self.forward(batch)[:, -1]
        return (h.unsqueeze(1) * self.item_emb(candidates)).sum(-1)


if __name__ == "__main__":
    model = SASRec(n_items=50).eval()
    batch = collate([[3, 4, 5], [7, 8, 9, 10, 11, 12]])
    with torch.no_grad():
        print(model.score(batch, torch.tensor([[1, 2], [3, 4]])))
