import torch
import torch.nn as nn


class TextDecoder(nn.Module):
    def __init__(self, vocab=400, d_model=64, nhead=4, layers=2, max_len=48):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.layers = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory, token_pad):
        t = tokens.size(1)
        x = self.embed(tokens) + self.pos.weight[:t]
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=tokens.device, dtype=torch.bool)
        y = self.layers(x, memory, tgt_mask=causal, tgt_key_padding_mask=token_pad, tgt_is_causal=True)  # expect: ML502
        return self.out(y)
