"""Sequential recommendation (SASRec-style): next-item prediction over right-padded interaction histories."""
import torch
import torch.nn as nn


class SASRec(nn.Module):
    def __init__(self, n_items, d=48, heads=2, blocks=2, maxlen=50, dropout=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, d)
        self.drop = nn.Dropout(dropout)
        self.attn_norms = nn.ModuleList(nn.LayerNorm(d, eps=1e-8) for _ in range(blocks))
        self.attns = nn.ModuleList(nn.MultiheadAttention(d, heads, dropout, batch_first=True) for _ in range(blocks))
        self.ffn_norms = nn.ModuleList(nn.LayerNorm(d, eps=1e-8) for _ in range(blocks))
        self.ffns = nn.ModuleList(nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d, d))
                                  for _ in range(blocks))
        self.last_norm = nn.LayerNorm(d, eps=1e-8)

    def log2feats(self, log_seqs):
        L = log_seqs.size(1)
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = self.drop(seqs + self.pos_emb(torch.arange(L, device=log_seqs.device)))
        timeline_pad = log_seqs == 0
        seqs = seqs * ~timeline_pad.unsqueeze(-1)
        future = ~torch.tril(torch.ones((L, L), dtype=torch.bool, device=log_seqs.device))
        for norm, attn, fnorm, ffn in zip(self.attn_norms, self.attns, self.ffn_norms, self.ffns):
            q = norm(seqs)
            out, _ = attn(q, seqs, seqs, attn_mask=future, key_padding_mask=timeline_pad)
            seqs = q + out
            seqs = seqs + ffn(fnorm(seqs))
            seqs = seqs * ~timeline_pad.unsqueeze(-1)
        return self.last_norm(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(-1)
        return pos_logits, neg_logits

    def predict(self, log_seqs, lengths, item_indices):
        feats = self.log2feats(log_seqs)
        final = feats[torch.arange(feats.size(0)), lengths - 1]
        return final @ self.item_emb(item_indices).t()


if __name__ == "__main__":
    torch.manual_seed(0)
    n_items, B, L = 300, 4, 12
    lengths = torch.tensor([12, 5, 9, 2])
    full = torch.randint(1, n_items + 1, (B, L + 1))
    valid = torch.arange(L)[None] < lengths[:, None]
    log_seqs, pos_seqs = full[:, :-1] * valid, full[:, 1:] * valid
    neg_seqs = torch.randint(1, n_items + 1, (B, L)) * (pos_seqs != 0)
    model = SASRec(n_items, maxlen=L)
    pos, neg = model(log_seqs, pos_seqs, neg_seqs)
    valid = pos_seqs != 0
    bce = nn.functional.binary_cross_entropy_with_logits
    loss = bce(pos[valid], torch.ones_like(pos[valid])) + bce(neg[valid], torch.zeros_like(neg[valid]))
    loss.backward()
    model.eval()
    with torch.no_grad():
        scores = model.predict(log_seqs, lengths, torch.arange(1, 21))
    print(loss.item(), scores.shape, scores.isnan().any().item())
