import math

import torch
import torch.nn as nn

from .data import PAD


class TimeMajorEncoderClassifier(nn.Module):
    def __init__(self, vocab=500, embed_dim=64, heads=4, layers=2, num_classes=3, max_positions=256):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=PAD)
        self.embed_positions = nn.Embedding(max_positions, embed_dim)
        layer = nn.TransformerEncoderLayer(embed_dim, heads, 2 * embed_dim, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.scale = math.sqrt(embed_dim)
        self.classifier = nn.Linear(embed_dim, num_classes)

    def forward(self, src_tokens, src_padding_mask):
        t = src_tokens.size(0)
        x = self.embed_tokens(src_tokens) * self.scale + self.embed_positions.weight[:t, None]
        x = self.encoder(x, src_key_padding_mask=src_padding_mask)  # expect: ML304
        keep = (~src_padding_mask).unsqueeze(-1).float()
        return self.classifier((x * keep).sum(0) / keep.sum(0))


if __name__ == "__main__":
    from .data import collate

    samples = [{"source": torch.randint(4, 500, (n,)), "label": n % 3} for n in (12, 9, 7)]
    batch = collate(samples)
    print(TimeMajorEncoderClassifier()(**batch["net_input"]).shape)
