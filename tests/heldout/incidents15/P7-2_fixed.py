import torch
import torch.nn as nn


class SetEncoder(nn.Module):
    def __init__(self, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.readout = nn.Linear(d_model, 1)

    def forward(self, x, src_key_padding_mask):
        h = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        keep = (~src_key_padding_mask).unsqueeze(-1).float()
        return self.readout((h * keep).sum(1) / keep.sum(1).clamp(min=1.0))


def random_padding_mask(batch_size, max_len, generator):
    lengths = torch.randint(1, max_len + 1, (batch_size,), generator=generator)  # BUG
    return torch.arange(max_len)[None, :] >= lengths[:, None]


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    model = SetEncoder().eval()
    x = torch.randn(8, 5, 16)
    src_key_padding_mask = random_padding_mask(8, 5, g)
    with torch.no_grad():
        out = model(x, src_key_padding_mask)
    print(f"NaN predictions in batch of 8: {int(torch.isnan(out).sum())}")
