import torch
from torch import nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab, d_model, nhead, num_layers, max_len=40):
        super().__init__()
        self.word = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, dropout=0.0, batch_first=True)
        self.layers = nn.TransformerDecoder(layer, num_layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, words, image_tokens, word_mask):
        h = self.word(words) + self.pos(torch.arange(words.size(1), device=words.device))
        h = self.layers(h, image_tokens, tgt_mask=word_mask)  # expect: ML101
        return self.out(h)
