"""Neural-codec language model for TTS (VALL-E style AR stage): predicts the first
codebook of the next audio frame from text + previous audio tokens."""
import torch
import torch.nn as nn


class CodecAR(nn.Module):
    def __init__(self, n_codes=64, d=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(n_codes, d)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.stack = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d, n_codes)

    def forward(self, codes):
        h = self.emb(codes)
        h = self.stack(h, is_causal=True)  # expect: ML402
        return self.head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = CodecAR().eval()
    codes = torch.randint(0, 64, (2, 12))
    with torch.no_grad():
        a = lm(codes)
        codes2 = codes.clone()
        codes2[:, -1] = (codes2[:, -1] + 5) % 64
        b = lm(codes2)
    print("FAILURE SHOWN: eval output at frame 0 depends on the last frame, diff",
          f"{(a[:, 0] - b[:, 0]).abs().max().item():.3g}")
