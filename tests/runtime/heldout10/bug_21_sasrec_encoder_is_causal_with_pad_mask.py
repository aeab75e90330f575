# EXPECT: bug the combined causal+left-padding mask is passed to nn.TransformerEncoder together with is_causal=True, so in training the MHA slow path replaces it by a pure causal mask and items attend to the left padding, while eval uses the real mask.
"""Sequential recommender (SASRec) in the style of pmixer/SASRec.pytorch, ported to nn.TransformerEncoder with left-padded item histories."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SASRec(nn.Module):
    def __init__(self, item_num=60, hidden_units=32, num_heads=2, num_blocks=2, maxlen=8, dropout_rate=0.2):
        super().__init__()
        self.num_heads = num_heads
        self.item_emb = nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, hidden_units)
        self.emb_dropout = nn.Dropout(dropout_rate)
        layer = nn.TransformerEncoderLayer(hidden_units, num_heads, hidden_units, dropout_rate, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_blocks, norm=nn.LayerNorm(hidden_units, eps=1e-8), enable_nested_tensor=False)

    def attention_mask(self, log_seqs):
        B, L = log_seqs.shape
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        pad_key = (log_seqs == 0).unsqueeze(1)
        blocked = (causal.unsqueeze(0) | pad_key) & ~torch.eye(L, dtype=torch.bool).unsqueeze(0)
        return blocked.repeat_interleave(self.num_heads, dim=0)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        positions = torch.arange(log_seqs.size(1)).unsqueeze(0)
        seqs = self.emb_dropout(seqs + self.pos_emb(positions))
        seqs = seqs * (log_seqs != 0).unsqueeze(-1)
        mask = self.attention_mask(log_seqs)
        return self.encoder(seqs, mask=mask, is_causal=True)  # BUG-SITE

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(-1)
        return pos_logits, neg_logits

    def predict(self, log_seqs, item_indices):
        final_feat = self.log2feats(log_seqs)[:, -1, :]
        return self.item_emb(item_indices) @ final_feat.unsqueeze(-1)


def left_pad(histories, maxlen=8):
    out = torch.zeros(len(histories), maxlen, dtype=torch.long)
    for i, h in enumerate(histories):
        h = h[-maxlen:]
        out[i, maxlen - len(h):] = torch.tensor(h)
    return out


def run():
    torch.manual_seed(0)
    model = SASRec()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    hist = [[3, 7, 9, 12, 5, 8, 2, 44, 31], [4, 6, 10], [15, 16, 17, 18, 19], [50, 51]]
    seq = left_pad([h[:-1] for h in hist])
    pos = left_pad([h[1:] for h in hist])
    neg = torch.randint(1, 61, pos.shape) * (pos != 0)
    model.train()
    pos_logits, neg_logits = model(seq, pos, neg)
    indices = pos != 0
    loss = F.binary_cross_entropy_with_logits(pos_logits[indices], torch.ones_like(pos_logits[indices]))
    loss = loss + F.binary_cross_entropy_with_logits(neg_logits[indices], torch.zeros_like(neg_logits[indices]))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        test_seq = left_pad([[1, 2, 3], [9, 8, 7, 6, 5, 4], [33]])
        scores = model.predict(test_seq, torch.arange(1, 21)).squeeze(-1)
    return [loss.detach(), *grads, scores]
