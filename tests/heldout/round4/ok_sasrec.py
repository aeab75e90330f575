"""SASRec sequential recommender (Kang & McAuley 2018), PyTorch port."""
import torch
import torch.nn as nn


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden, dropout):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden, hidden, kernel_size=1)
        self.conv2 = nn.Conv1d(hidden, hidden, kernel_size=1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        y = self.drop(self.conv2(self.drop(torch.relu(self.conv1(x.transpose(-1, -2))))))
        return y.transpose(-1, -2) + x


class SASRec(nn.Module):
    def __init__(self, item_num, maxlen=200, hidden=64, blocks=2, heads=1, dropout=0.2):
        super().__init__()
        self.heads = heads
        self.item_emb = nn.Embedding(item_num + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, hidden)
        self.drop = nn.Dropout(dropout)
        self.attn_ln = nn.ModuleList(nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks))
        self.attn = nn.ModuleList(nn.MultiheadAttention(hidden, heads, dropout) for _ in range(blocks))
        self.ffn_ln = nn.ModuleList(nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks))
        self.ffn = nn.ModuleList(PointWiseFeedForward(hidden, dropout) for _ in range(blocks))
        self.last_ln = nn.LayerNorm(hidden, eps=1e-8)

    def log2feats(self, log_seqs):
        # log_seqs: (B, L) item ids, left-padded with 0
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        positions = torch.arange(log_seqs.size(1), device=log_seqs.device).unsqueeze(0)
        seqs = self.drop(seqs + self.pos_emb(positions))
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)

        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool, device=seqs.device))
        # padded items are never keys; every position still sees itself, so the
        # left-padding rows are not empty
        eye = torch.eye(tl, dtype=torch.bool, device=seqs.device)
        attention_mask = (attention_mask | timeline_mask[:, None, :]) & ~eye
        attention_mask = attention_mask.repeat_interleave(self.heads, dim=0)   # (B*heads, L, L)
        for i in range(len(self.attn)):
            seqs = seqs.transpose(0, 1)
            q = self.attn_ln[i](seqs)
            out, _ = self.attn[i](q, seqs, seqs, attn_mask=attention_mask)
            seqs = (q + out).transpose(0, 1)
            seqs = self.ffn[i](self.ffn_ln[i](seqs))
            seqs = seqs * ~timeline_mask.unsqueeze(-1)
        return self.last_ln(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(-1)
        return pos_logits, neg_logits

    def predict(self, log_seqs, item_indices):
        final = self.log2feats(log_seqs)[:, -1, :]
        return self.item_emb(item_indices) @ final.unsqueeze(-1)


if __name__ == "__main__":
    m = SASRec(item_num=500, maxlen=10)
    seqs = torch.tensor([[0, 0, 0, 4, 8, 15, 16, 23, 42, 7], [0] * 6 + [1, 2, 3, 4]])
    p, n = m(seqs, seqs.roll(-1, 1), torch.randint(1, 500, (2, 10)))
    print(p.shape, n.isfinite().all())
