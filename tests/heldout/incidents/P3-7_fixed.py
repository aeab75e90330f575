import torch
import torch.nn as nn


class TokenTagger(nn.Module):
    """Sequence tagger on top of nn.TransformerEncoder (sequence-first layout)."""

    def __init__(self, vocab_size, num_tags, d_model=8, nhead=2, num_layers=1, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, num_tags)

    def forward(self, src):
        # src: (S, N) token ids
        x = self.embed(src)  # (S, N, E)
        padding_mask = (src == self.pad_idx).transpose(0, 1)
        x = self.encoder(x, src_key_padding_mask=padding_mask)
        return self.out(x)


def run():
    model = TokenTagger(vocab_size=20, num_tags=4)
    src = torch.tensor([[4, 5], [6, 7], [8, 9], [3, 0], [2, 0]])  # second sequence has length 3
    return model(src)
