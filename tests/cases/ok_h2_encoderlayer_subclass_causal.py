"""TransformerEncoderLayer subclass whose forward supplies the causal mask via super().forward. Correct."""
import torch, torch.nn as nn
class CausalEncoderLayer(nn.TransformerEncoderLayer):
    def forward(self, src):
        T = src.size(1)
        return super().forward(src, src_mask=nn.Transformer.generate_square_subsequent_mask(T), is_causal=True)
class LM(nn.Module):
    def __init__(self, vocab=100, d=64, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(CausalEncoderLayer(d, h, batch_first=True), 2)
        self.layer = CausalEncoderLayer(d, h, batch_first=True)
        self.out = nn.Linear(d, vocab)
    def forward(self, idx):
        x = self.layer(self.emb(idx))
        return self.out(x)
    def loss(self, b):
        return nn.functional.cross_entropy(self(b[:, :-1]).flatten(0, 1), b[:, 1:].flatten())
