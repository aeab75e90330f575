"""TransformerDecoderLayer subclass whose forward supplies the causal mask via super().forward. Correct."""
import torch, torch.nn as nn
class CausalDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory):
        T = tgt.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt.device), 1)
        return super().forward(tgt, memory, tgt_mask=causal, tgt_is_causal=True)
class Captioner(nn.Module):
    def __init__(self, vocab=100, d=64, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([CausalDecoderLayer(d, h, batch_first=True) for _ in range(2)])
        self.out = nn.Linear(d, vocab)
    def forward(self, feats, captions):
        x = self.emb(captions[:, :-1])
        for layer in self.layers:
            x = layer(x, feats)
        return self.out(x)
