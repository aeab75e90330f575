"""Chord-progression generator (symbolic music), MHA layers called with positional arguments."""
import torch
import torch.nn as nn

N_CHORDS = 24 * 7 + 2


class ChordLayer(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, pad, causal):
        h = self.ln1(x)
        h, _ = self.attn(h, h, h, pad, False, causal)
        x = x + h
        return x + self.ff(self.ln2(x))


class ChordLM(nn.Module):
    def __init__(self, d=128, heads=4, depth=3, max_bars=64):
        super().__init__()
        self.emb = nn.Embedding(N_CHORDS, d, padding_idx=0)
        self.bar = nn.Embedding(max_bars, d)
        self.layers = nn.ModuleList(ChordLayer(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, N_CHORDS)

    def forward(self, chords):
        T = chords.size(1)
        pad = chords == 0
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        x = self.emb(chords) + self.bar(torch.arange(T))
        for layer in self.layers:
            x = layer(x, pad, causal)
        return self.out(x)


if __name__ == "__main__":
    prog = torch.randint(1, N_CHORDS, (4, 32))
    prog[2, 20:] = 0
    logits = ChordLM()(prog[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), prog[:, 1:], ignore_index=0)
    loss.backward()
    print(loss.item())
