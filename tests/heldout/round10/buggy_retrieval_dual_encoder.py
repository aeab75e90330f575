"""Dense passage retrieval: shared-weight query/passage encoder with in-batch negatives (DPR-like)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TextEncoder(nn.Module):
    def __init__(self, vocab=8000, d=96, heads=4, layers=2, max_len=128, proj_dim=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, batch_first=True, activation="gelu")
        self.enc = nn.TransformerEncoder(layer, layers)
        self.proj = nn.Linear(d, proj_dim)

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.tok(input_ids) + self.pos(pos)
        h = self.enc(h)  # expect: ML505
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return F.normalize(self.proj(pooled), dim=-1)


class BiEncoder(nn.Module):
    def __init__(self, temperature=0.05, **kw):
        super().__init__()
        self.encoder = TextEncoder(**kw)
        self.temperature = temperature

    def forward(self, q_ids, q_mask, p_ids, p_mask):
        q = self.encoder(q_ids, q_mask)
        p = self.encoder(p_ids, p_mask)
        scores = q @ p.t() / self.temperature
        labels = torch.arange(q.size(0), device=q.device)
        return F.cross_entropy(scores, labels), scores


def pad_batch(seqs, pad_id=0):
    n = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), n), pad_id, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


if __name__ == "__main__":
    torch.manual_seed(0)
    queries = [torch.randint(1, 8000, (int(n),)).tolist() for n in (5, 9, 7, 12)]
    passages = [torch.randint(1, 8000, (int(n),)).tolist() for n in (40, 64, 23, 51)]
    q_ids, q_mask = pad_batch(queries)
    p_ids, p_mask = pad_batch(passages)
    model = BiEncoder()
    loss, scores = model(q_ids, q_mask, p_ids, p_mask)
    loss.backward()
    print(scores.shape, loss.item())
