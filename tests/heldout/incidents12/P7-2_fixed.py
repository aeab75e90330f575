import torch
import torch.nn as nn


class MaskedTokenEncoder(nn.Module):
    def __init__(self, d_model=16, nhead=2, num_layers=2, max_len=32):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, src, src_key_padding_mask):
        x = src + self.pos[:, : src.size(1)]
        h = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.proj(h)


def random_span_padding(batch_size, seq_len, p=0.5):
    key_padding_mask = (torch.rand(batch_size, seq_len) < p) & (torch.arange(seq_len) > 0)
    return key_padding_mask


if __name__ == "__main__":
    torch.manual_seed(3)
    model = MaskedTokenEncoder().eval()
    src = torch.randn(16, 4, 16)
    kpm = random_span_padding(16, 4)
    with torch.no_grad():
        out = model(src, kpm)
    print(f"fully padded rows: {int(kpm.all(1).sum())}; NaN outputs: {int(torch.isnan(out).sum())}")
