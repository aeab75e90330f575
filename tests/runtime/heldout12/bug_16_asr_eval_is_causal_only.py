# EXPECT: bug
"""Streaming (causal) acoustic encoder for frame-level phone classification."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_PHONES = 8


class StreamingEncoder(nn.Module):
    def __init__(self, n_mels=10, d=32, heads=4, layers=2, p=0.1):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        layer = nn.TransformerEncoderLayer(d, heads, 64, dropout=p, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.cls = nn.Linear(d, N_PHONES)

    def forward(self, mel, attn_mask=None):
        h = self.inp(mel)
        h = self.encoder(h, mask=attn_mask, is_causal=True)  # BUG-SITE
        return self.cls(h)


def run():
    torch.manual_seed(0)
    model = StreamingEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    mel = torch.randn(2, 9, 10)
    phones = torch.randint(0, N_PHONES, (2, 9))
    causal = nn.Transformer.generate_square_subsequent_mask(9)

    model.train()
    loss = F.cross_entropy(model(mel, causal).reshape(-1, N_PHONES), phones.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(mel)  # streaming evaluation
    return [loss.detach(), logits]
