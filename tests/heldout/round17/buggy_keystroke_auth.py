"""Keystroke-dynamics embedding for continuous authentication.

A typing burst is a sequence of key events: key class (letter/digit/space/
modifier/...), hold time and flight time in ms. Bursts of one user should embed
close together; the verifier compares against enrolment bursts.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

KEY_CLASSES = 12


class BurstEncoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3, emb=128):
        super().__init__()
        self.key = nn.Embedding(KEY_CLASSES, dim)
        self.timing = nn.Sequential(nn.Linear(2, dim), nn.GELU(), nn.Linear(dim, dim))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True,
                                       norm_first=True)
            for _ in range(depth)
        )
        self.proj = nn.Linear(dim, emb)

    def forward(self, key_class, hold_ms, flight_ms, lengths):
        timing = torch.stack([hold_ms, flight_ms], -1).clamp(max=2000.0) / 250.0
        x = self.key(key_class) + self.timing(timing)
        positions = torch.arange(x.size(1), device=x.device)
        pad = (positions[None, :] >= lengths[:, None]).to(x.dtype)
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=pad)  # expect: ML201
        keep = 1.0 - pad
        pooled = (x * keep[..., None]).sum(1) / keep.sum(1, keepdim=True)
        return F.normalize(self.proj(pooled), dim=-1)


def verification_loss(encoder, anchor, positive, temperature=0.07):
    a = encoder(*anchor)
    p = encoder(*positive)
    logits = a @ p.t() / temperature
    return F.cross_entropy(logits, torch.arange(a.size(0), device=a.device))


if __name__ == "__main__":
    enc = BurstEncoder()
    n, t = 4, 30
    burst = (torch.randint(0, KEY_CLASSES, (n, t)), torch.rand(n, t) * 150, torch.rand(n, t) * 300,
             torch.tensor([30, 22, 17, 9]))
    print(verification_loss(enc, burst, burst))
