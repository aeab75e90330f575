import torch
import torch.nn as nn


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size=200, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 2)

    def forward(self, input_ids, padding_mask=None):
        h = self.encoder(self.embed(input_ids), src_key_padding_mask=padding_mask)
        if padding_mask is None:
            return self.head(h.mean(1))
        keep = (~padding_mask).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1).clamp(min=1.0))
