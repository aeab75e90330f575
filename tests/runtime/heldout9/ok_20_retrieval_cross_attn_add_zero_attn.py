# EXPECT: clean
"""Imitates retrieval-augmented readers / memory networks (RETRO-style chunked
cross-attention, Fusion-in-Decoder-like heads) where a query may retrieve no
neighbours at all: the cross-attention is nn.MultiheadAttention(add_zero_attn=True),
which appends an always-visible zero key/value, so samples whose
key_padding_mask is all True (in the training batch and in eval) stay well
defined and simply receive no retrieved context."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RetrievalReader(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4, num_labels=3, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(12, d)
        self.q_self = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout, batch_first=True)
        self.neighbour_proj = nn.Linear(24, d)
        self.cross = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True, add_zero_attn=True)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_labels)

    def forward(self, q_ids, neighbours, neighbour_mask):
        q_pad = q_ids.eq(0)
        x = self.embed(q_ids) + self.pos(torch.arange(q_ids.size(1)))
        x = self.q_self(x, src_key_padding_mask=q_pad)
        mem = self.neighbour_proj(neighbours)
        ctx, _ = self.cross(x, mem, mem, key_padding_mask=~neighbour_mask)
        x = self.ln(x + ctx)
        keep = (~q_pad).unsqueeze(-1).float()
        return self.head((x * keep).sum(1) / keep.sum(1))


def collate(g, q_lens, n_neighbours, max_nb=5):
    B = len(q_lens)
    q = torch.zeros(B, max(q_lens), dtype=torch.long)
    nb = torch.zeros(B, max_nb, 24)
    nb_mask = torch.zeros(B, max_nb, dtype=torch.bool)
    for i, (ql, k) in enumerate(zip(q_lens, n_neighbours)):
        q[i, :ql] = torch.randint(1, 50, (ql,), generator=g)
        nb[i, :k] = torch.randn(k, 24, generator=g)
        nb_mask[i, :k] = True
    return q, nb, nb_mask


def run():
    torch.manual_seed(0)
    model = RetrievalReader()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(197)
    batch = collate(g, [6, 9, 4, 7], [3, 0, 5, 2])  # second query retrieved nothing
    y = torch.tensor([0, 2, 1, 1])

    model.train()
    loss = F.cross_entropy(model(*batch), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        probs = model(*collate(g, [5, 8, 3], [0, 4, 1])).softmax(-1)
    return [loss.detach(), *grads, probs]
