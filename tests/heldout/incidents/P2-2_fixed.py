import torch
import torch.nn as nn


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=2, num_classes=3, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        encoder_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(encoder_layer, num_layers=num_layers, enable_nested_tensor=False)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens)
        # True for padding positions, which the encoder must ignore
        src_key_padding_mask = tokens == self.pad_idx
        x = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        keep = (tokens != self.pad_idx).unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1)
        return self.fc(pooled)


def run():
    model = TransformerClassifier(vocab_size=20)
    tokens = torch.tensor([[5, 6, 7, 8, 9], [3, 4, 2, 0, 0]])
    model.eval()
    with torch.no_grad():
        return model(tokens)
