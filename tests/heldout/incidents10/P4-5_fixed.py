"""Reproducer-style script (pytorch#96941): a causal encoder stack relying on
the is_causal hint alone.  In eval the fast path ignores is_causal and runs
unmasked (silently); in training torch 2.13 raises."""
import torch
import torch.nn as nn


class CausalEncoder(nn.Module):
    def __init__(self, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
            for _ in range(num_layers))

    def forward(self, x):
        causal_mask = nn.Transformer.generate_square_subsequent_mask(x.size(1))
        for layer in self.layers:
            x = layer(x, src_mask=causal_mask, is_causal=True)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = CausalEncoder().eval()
    x = torch.randn(2, 6, 16)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 16)
    with torch.no_grad():
        a, b = enc(x), enc(x2)
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
