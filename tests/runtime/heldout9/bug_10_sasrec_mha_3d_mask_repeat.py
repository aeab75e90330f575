# EXPECT: bug the per-sample [B, T, T] causal+padding mask is expanded for nn.MultiheadAttention with .repeat(num_heads, 1, 1) (head-major), but MHA indexes 3-D masks as b * num_heads + h, so most heads get another sample's mask.
"""Imitates a SASRec-style sequential recommender (pmixer/SASRec.pytorch,
RecBole SASRec) built on nn.MultiheadAttention, where the causal timeline mask and
the per-user padding are fused into one 3-D attn_mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_attention_mask(lengths, max_len):
    """Returns a [B, T, T] bool mask, True = not allowed (nn.MultiheadAttention convention)."""
    idx = torch.arange(max_len)
    valid = idx[None, :] < lengths[:, None]  # [B, T]
    causal = idx[None, :] <= idx[:, None]  # [T, T]
    allowed = causal[None] & valid[:, None, :]
    return ~allowed


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden, dropout):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden, hidden, kernel_size=1)
        self.conv2 = nn.Conv1d(hidden, hidden, kernel_size=1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        y = self.dropout(self.conv2(F.relu(self.dropout(self.conv1(x.transpose(-1, -2))))))
        return y.transpose(-1, -2) + x


class SASRec(nn.Module):
    def __init__(self, item_num=50, hidden=32, heads=2, blocks=2, maxlen=10, dropout=0.2):
        super().__init__()
        self.num_heads = heads
        self.item_emb = nn.Embedding(item_num + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, hidden)
        self.emb_dropout = nn.Dropout(dropout)
        self.attention_layernorms = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(blocks)])
        self.attention_layers = nn.ModuleList(
            [nn.MultiheadAttention(hidden, heads, dropout=dropout, batch_first=True) for _ in range(blocks)]
        )
        self.forward_layernorms = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(blocks)])
        self.forward_layers = nn.ModuleList([PointWiseFeedForward(hidden, dropout) for _ in range(blocks)])
        self.last_layernorm = nn.LayerNorm(hidden)

    def log2feats(self, log_seqs, lengths):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb(torch.arange(log_seqs.size(1)))[None]
        seqs = self.emb_dropout(seqs)
        timeline_mask = (log_seqs == 0).unsqueeze(-1)
        seqs = seqs * ~timeline_mask
        attn_mask = build_attention_mask(lengths, log_seqs.size(1))
        attn_mask = attn_mask.repeat(self.num_heads, 1, 1)  # [B * H, T, T]
        for i in range(len(self.attention_layers)):
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](  # BUG-SITE
                Q, seqs, seqs, attn_mask=attn_mask
            )
            seqs = Q + mha_outputs
            seqs = self.forward_layers[i](self.forward_layernorms[i](seqs))
            seqs = seqs * ~timeline_mask
        return self.last_layernorm(seqs)

    def forward(self, log_seqs, lengths, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs, lengths)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(-1)
        return pos_logits, neg_logits

    def predict(self, log_seqs, lengths, item_indices):
        feats = self.log2feats(log_seqs, lengths)
        final_feat = feats[torch.arange(log_seqs.size(0)), lengths - 1]
        return final_feat @ self.item_emb(item_indices).t()


def make_batch(g, lengths, maxlen=10, item_num=50):
    B = len(lengths)
    seq = torch.zeros(B, maxlen, dtype=torch.long)
    pos = torch.zeros(B, maxlen, dtype=torch.long)
    neg = torch.zeros(B, maxlen, dtype=torch.long)
    for i, n in enumerate(lengths):
        items = torch.randint(1, item_num + 1, (n + 1,), generator=g)
        seq[i, :n] = items[:-1]
        pos[i, :n] = items[1:]
        neg[i, :n] = torch.randint(1, item_num + 1, (n,), generator=g)
    return seq, torch.tensor(lengths), pos, neg


def run():
    torch.manual_seed(0)
    model = SASRec()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    g = torch.Generator().manual_seed(21)
    seq, lengths, pos, neg = make_batch(g, [10, 4, 7, 2])

    model.train()
    pos_logits, neg_logits = model(seq, lengths, pos, neg)
    indices = pos != 0
    loss = F.binary_cross_entropy_with_logits(pos_logits[indices], torch.ones_like(pos_logits[indices]))
    loss = loss + F.binary_cross_entropy_with_logits(neg_logits[indices], torch.zeros_like(neg_logits[indices]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        seq2, len2, _, _ = make_batch(g, [5, 9, 3, 8])
        scores = model.predict(seq2, len2, torch.arange(1, 21))
    return [loss.detach(), *grads, scores]
