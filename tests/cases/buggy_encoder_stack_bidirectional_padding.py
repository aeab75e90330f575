"""The same encoder stack used bidirectionally (a masked-LM encoder, no causal mask) over padded
ids: every token attends to the padding."""
import torch.nn as nn


class MaskedLM(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(50, d, padding_idx=0)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), layers)
        self.head = nn.Linear(d, 50)

    def forward(self, ids):
        return self.head(self.encoder(self.tok(ids)))  # expect: ML505
