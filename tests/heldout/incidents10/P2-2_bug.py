"""Reproducer-style script (pytorch#90534): a float key padding mask where the
last position is padding, written with 1.0 = keep."""
import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, d_model=16, nhead=2):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.head = nn.Linear(d_model, 2)

    def forward(self, x, key_padding_mask):
        h = self.layer(x, src_key_padding_mask=key_padding_mask)
        return self.head(h[:, 0])


def make_padding_mask(batch, seq_len, n_pad):
    mask = torch.ones(batch, seq_len)  # BUG
    mask[:, seq_len - n_pad:] = 0.0  # BUG
    return mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Classifier()  # training mode (dropout 0): the float mask is added to the logits
    x = torch.randn(3, 5, 16)
    kpm = make_padding_mask(3, 5, 1)
    x2 = x.clone(); x2[:, -1] = torch.randn(3, 16) * 10
    a, b = model(x, kpm), model(x2, kpm)
    print("output change from padding content:", (a - b).abs().max().item())
