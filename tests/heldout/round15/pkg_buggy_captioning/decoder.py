import torch
from torch import nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab, d_model, nhead, layers, max_len=40):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.0, batch_first=True), layers
        )
        self.lm = nn.Linear(d_model, vocab)

    def forward(self, words, memory):
        T = words.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=words.device), 1)
        x = self.embed(words) + self.pos(torch.arange(T, device=words.device))
        x = self.layers(x, memory, tgt_mask=causal, tgt_key_padding_mask=words.eq(0))  # expect: ML502
        return self.lm(x)
