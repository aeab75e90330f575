# EXPECT: bug
"""SASRec-style next-item recommender using seq-first nn.MultiheadAttention. Histories are
right-padded to max_len=8 and the batch size is also 8."""
import torch
import torch.nn as nn


class SASRec(nn.Module):
    def __init__(self, item_num, hidden_units=32, max_len=8, num_blocks=2, num_heads=2, dropout_rate=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, hidden_units)
        self.emb_dropout = nn.Dropout(dropout_rate)
        self.attention_layernorms = nn.ModuleList()
        self.attention_layers = nn.ModuleList()
        self.forward_layers = nn.ModuleList()
        for _ in range(num_blocks):
            self.attention_layernorms.append(nn.LayerNorm(hidden_units, eps=1e-8))
            self.attention_layers.append(nn.MultiheadAttention(hidden_units, num_heads, dropout_rate))
            self.forward_layers.append(nn.Sequential(nn.Linear(hidden_units, hidden_units), nn.ReLU(),
                                                     nn.Dropout(dropout_rate), nn.Linear(hidden_units, hidden_units)))
        self.last_layernorm = nn.LayerNorm(hidden_units, eps=1e-8)

    def log2feats(self, log_seqs):
        # work in (T, B) layout throughout, as nn.MultiheadAttention expects by default
        log_seqs = log_seqs.t()
        T = log_seqs.size(0)
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb(torch.arange(T, device=log_seqs.device))[:, None, :]
        seqs = self.emb_dropout(seqs)
        timeline_mask = log_seqs == 0
        attention_mask = ~torch.tril(torch.ones((T, T), dtype=torch.bool, device=log_seqs.device))
        for i in range(len(self.attention_layers)):
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](Q, seqs, seqs, key_padding_mask=timeline_mask, attn_mask=attention_mask)  # BUG-SITE
            seqs = Q + mha_outputs
            seqs = seqs + self.forward_layers[i](seqs)
            seqs = seqs * (~timeline_mask).unsqueeze(-1)
        return self.last_layernorm(seqs).transpose(0, 1)   # (B, T, E)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(-1)
        return pos_logits, neg_logits

    def predict(self, log_seqs, lens, item_indices):
        final = self.log2feats(log_seqs)[torch.arange(log_seqs.size(0)), lens - 1]
        return self.item_emb(item_indices) @ final.t()


def run():
    torch.manual_seed(0)
    n_items, B, T = 30, 8, 8
    model = SASRec(n_items)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    lens = torch.tensor([8, 7, 5, 8, 3, 6, 2, 4])
    seq = torch.randint(1, n_items + 1, (B, T + 1))
    keep = torch.arange(T + 1)[None] <= lens[:, None]
    seq = seq * keep
    log_seqs, pos = seq[:, :-1], seq[:, 1:]
    neg = torch.randint(1, n_items + 1, pos.shape) * (pos != 0)
    model.train()
    pl, nl = model(log_seqs, pos, neg)
    valid = pos != 0
    bce = nn.BCEWithLogitsLoss()
    loss = bce(pl[valid], torch.ones_like(pl[valid])) + bce(nl[valid], torch.zeros_like(nl[valid]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        scores = model.predict(log_seqs, lens, torch.arange(1, 11))
    return [loss.detach(), scores]
