"""Next-base model over packed sequencing reads.

Several short reads share one row of the batch; ``doc_ids`` records which read
each position came from so a base only looks at earlier bases of its own read.
"""
import torch
from torch import nn

BASES = {"A": 1, "C": 2, "G": 3, "T": 4}


def pack_reads(reads, row_len):
    ids = torch.zeros(row_len, dtype=torch.long)
    doc = torch.full((row_len,), -1, dtype=torch.long)
    pos = 0
    for d, read in enumerate(reads):
        n = min(len(read), row_len - pos)
        ids[pos:pos + n] = torch.tensor([BASES[c] for c in read[:n]])
        doc[pos:pos + n] = d
        pos += n
    return ids, doc


class PackedReadLM(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.emb = nn.Embedding(len(BASES) + 1, d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(),
                                nn.Linear(2 * d_model, d_model))
        self.head = nn.Linear(d_model, len(BASES) + 1)

    def forward(self, ids, doc_ids):
        L = ids.size(1)
        h = self.emb(ids)
        causal = torch.tril(torch.ones(L, L, dtype=torch.bool, device=ids.device))
        same_read = doc_ids[:, :, None] == doc_ids[:, None, :]
        allowed = causal & same_read
        allowed = allowed.repeat_interleave(self.n_heads, dim=0)
        a, _ = self.attn(h, h, h, attn_mask=allowed, need_weights=False)  # expect: ML101
        h = h + a
        return self.head(h + self.ff(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    rows = [pack_reads(["ACGTAC", "GGTA", "CATTAG"], 16),
            pack_reads(["TTGACA", "ACGTTGCA"], 16)]
    ids = torch.stack([r[0] for r in rows])
    doc = torch.stack([r[1] for r in rows])
    model = PackedReadLM()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for step in range(20):
        logits = model(ids, doc)
        loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)),
                                           ids[:, 1:].reshape(-1), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"final loss {loss.item():.3f}")
