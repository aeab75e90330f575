"""Packed-sequence language model: several short documents share one training row."""
import torch
from torch import nn
import torch.nn.functional as F


class PackedBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x, mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)  # expect: ML101
        x = x + a
        return x + self.mlp(self.ln2(x))


class PackedLM(nn.Module):
    def __init__(self, vocab_size, d_model=32, n_heads=4, n_layers=2, max_len=128, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(PackedBlock(d_model, n_heads, dropout) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def packing_mask(self, doc_ids):
        L = doc_ids.size(1)
        causal = torch.ones(L, L, dtype=torch.bool, device=doc_ids.device).tril()
        same_doc = doc_ids.unsqueeze(2) == doc_ids.unsqueeze(1)
        allowed = causal & same_doc
        return allowed.repeat_interleave(self.n_heads, dim=0)

    def forward(self, ids, doc_ids):
        pos = torch.arange(ids.size(1), device=ids.device)
        x = self.tok(ids) + self.pos(pos)
        mask = self.packing_mask(doc_ids)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.lm_head(self.norm(x))

    def loss(self, ids, doc_ids):
        logits = self(ids[:, :-1], doc_ids[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))


def pack(docs, row_len, eos):
    ids, doc = [], []
    for d, toks in enumerate(docs):
        ids.extend(toks + [eos])
        doc.extend([d] * (len(toks) + 1))
    ids, doc = ids[:row_len], doc[:row_len]
    return torch.tensor(ids), torch.tensor(doc)


if __name__ == "__main__":
    torch.manual_seed(0)
    rows = [pack([[5, 6, 7], [8, 9], [10, 11, 12, 13]], 12, eos=1),
            pack([[3, 4, 5, 6, 7], [9, 9, 9], [2, 2]], 12, eos=1)]
    ids = torch.stack([r[0] for r in rows])
    doc_ids = torch.stack([r[1] for r in rows])
    model = PackedLM(vocab_size=32)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for step in range(3):
        loss = model.loss(ids, doc_ids)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step} loss {loss.item():.4f}")
