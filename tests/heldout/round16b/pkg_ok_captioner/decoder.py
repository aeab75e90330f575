import torch
import torch.nn as nn


class CaptionHead(nn.Module):
    def __init__(self, vocab=400, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = nn.Embedding(64, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory, memory_pad):
        t = tokens.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t, dtype=torch.bool)
        x = self.embed(tokens) + self.pos.weight[:t]
        h = self.decoder(x, memory, causal, None, tokens == 0, memory_pad, tgt_is_causal=True)
        return self.out(h)
