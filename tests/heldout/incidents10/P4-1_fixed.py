"""Language modeling with nn.TransformerEncoder (pytorch/tutorials
transformer_tutorial.py layout, after "Remove improper src_mask")."""
import math

import torch
from torch import nn, Tensor
from torch.nn import TransformerEncoder, TransformerEncoderLayer


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, dropout: float = 0.0, max_len: int = 64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x: Tensor) -> Tensor:
        return self.dropout(x + self.pe[: x.size(0)])


class TransformerModel(nn.Module):
    def __init__(self, ntoken: int, d_model: int, nhead: int, d_hid: int, nlayers: int, dropout: float = 0.0):
        super().__init__()
        self.model_type = "Transformer"
        self.pos_encoder = PositionalEncoding(d_model, dropout)
        encoder_layers = TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
        self.transformer_encoder = TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.embedding = nn.Embedding(ntoken, d_model)
        self.d_model = d_model
        self.linear = nn.Linear(d_model, ntoken)

    def forward(self, src: Tensor, src_mask: Tensor = None) -> Tensor:
        """src: [seq_len, batch_size]"""
        src = self.embedding(src) * math.sqrt(self.d_model)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src, src_mask)
        return self.linear(output)


def evaluate(model, data):
    model.eval()
    seq_len = data.size(0)
    src_mask = nn.Transformer.generate_square_subsequent_mask(seq_len)
    with torch.no_grad():
        output = model(data, src_mask)
    return output


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerModel(ntoken=50, d_model=16, nhead=2, d_hid=32, nlayers=2)
    data = torch.randint(0, 50, (6, 2))
    data2 = data.clone(); data2[-1] = (data2[-1] + 1) % 50
    a, b = evaluate(model, data), evaluate(model, data2)
    print("prefix change when last token changes:", (a[:-1] - b[:-1]).abs().max().item())
