"""Molecular property regressor: an ECFP fingerprint is cut into fixed chunks, each chunk is a token."""
import torch
import torch.nn as nn


class FingerprintTransformer(nn.Module):
    def __init__(self, n_bits=1024, chunk=64, d_model=32, nhead=4, num_layers=2, n_targets=1):
        super().__init__()
        assert n_bits % chunk == 0
        self.chunk = chunk
        self.n_tokens = n_bits // chunk
        self.chunk_proj = nn.Linear(chunk, d_model)
        self.pos = nn.Parameter(torch.zeros(1, self.n_tokens, d_model))
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=4 * d_model)  # BUG
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.head = nn.Linear(d_model, n_targets)

    def forward(self, fp):
        b = fp.shape[0]
        tokens = self.chunk_proj(fp.view(b, self.n_tokens, self.chunk).float()) + self.pos  # (B, S, E)
        h = self.encoder(tokens)
        return self.head(h.mean(dim=1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FingerprintTransformer()
    fps = (torch.rand(5, 1024) < 0.05).long()
    y = torch.randn(5, 1)
    loss = nn.functional.mse_loss(model(fps), y)
    loss.backward()
    print(loss.item())
