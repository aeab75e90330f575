import torch
import torch.nn as nn


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden_units, dropout_rate):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(hidden_units, hidden_units), nn.ReLU(), nn.Dropout(dropout_rate),
                                 nn.Linear(hidden_units, hidden_units), nn.Dropout(dropout_rate))

    def forward(self, x):
        return x + self.net(x)


class SASRec(nn.Module):
    def __init__(self, item_num, maxlen=20, hidden_units=32, num_blocks=2, num_heads=2, dropout_rate=0.2):
        super().__init__()
        self.num_heads = num_heads
        self.item_emb = nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, hidden_units)
        self.attention_layernorms = nn.ModuleList(nn.LayerNorm(hidden_units, eps=1e-8) for _ in range(num_blocks))
        self.attention_layers = nn.ModuleList(nn.MultiheadAttention(hidden_units, num_heads, dropout_rate) for _ in range(num_blocks))
        self.forward_layers = nn.ModuleList(PointWiseFeedForward(hidden_units, dropout_rate) for _ in range(num_blocks))
        self.last_layernorm = nn.LayerNorm(hidden_units, eps=1e-8)

    def log2feats(self, log_seqs):
        # log_seqs: (B, L) item ids, LEFT-padded with 0
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb(torch.arange(log_seqs.size(1), device=log_seqs.device))
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool, device=seqs.device))
        for attn_ln, attn, ffn in zip(self.attention_layernorms, self.attention_layers, self.forward_layers):
            seqs = seqs.transpose(0, 1)
            Q = attn_ln(seqs)
            mha_outputs, _ = attn(Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            # key_padding_mask=timeline_mask  (rejected together with attn_mask by our torch version)  # BUG
            seqs = (Q + mha_outputs).transpose(0, 1)
            seqs = ffn(seqs) * ~timeline_mask.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(-1)
        return pos_logits, neg_logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(item_num=50)
    log_seqs = torch.tensor([[0] * 15 + [3, 7, 9, 2, 4], [0] * 17 + [5, 6, 8]])
    pos = torch.roll(log_seqs, -1, dims=1)
    neg = torch.randint(1, 51, log_seqs.shape)
    pos_logits, neg_logits = model(log_seqs, pos, neg)
    print("pos logits finite:", bool(torch.isfinite(pos_logits).all()), tuple(pos_logits.shape))
