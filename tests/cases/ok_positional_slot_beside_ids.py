"""The padding mask in its own slot by keyword; and an inner layer whose `attention_mask` (no
token ids beside it) is the model's own (N*H, L, S) or (L, S) mask, passed positionally."""
import torch.nn as nn


class Tower(nn.Module):
    def __init__(self, vocab=200, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 64, batch_first=True), 2)

    def forward(self, ids, attention_mask):
        return self.encoder(self.emb(ids), src_key_padding_mask=attention_mask == 0)


class Inner(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 64, batch_first=True), 2)

    def forward(self, hidden_states, attention_mask):
        blocked = attention_mask == 0
        return self.encoder(hidden_states, blocked)
