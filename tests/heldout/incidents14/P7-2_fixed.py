import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, ninp=8, nhead=2, nhid=16, nlayers=2, dropout=0.0):
        super().__init__()
        encoder_layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout, batch_first=True)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layer, nlayers, enable_nested_tensor=False)

    def forward(self, src, src_key_padding_mask):
        return self.transformer_encoder(src, src_key_padding_mask=src_key_padding_mask)


def random_padding_mask(N, S, generator):
    """Random key padding mask used to test robustness to padding (True = padded)."""
    src_key_padding_mask = (torch.rand(N, S, generator=generator) > 0.5) & (torch.arange(S) > 0)  # BUG
    return src_key_padding_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    N, S = 6, 3
    model = Encoder().eval()
    src = torch.randn(N, S, 8)
    src_key_padding_mask = random_padding_mask(N, S, g)
    with torch.no_grad():
        out = model(src, src_key_padding_mask)
    print(f"fully padded rows: {int(src_key_padding_mask.all(-1).sum())}, NaN values in output: {int(torch.isnan(out).sum())}")
