"""Piano-roll continuation model (next-event prediction over MIDI event tokens)."""
import math

import torch
from torch import nn


class EventEmbedding(nn.Module):
    def __init__(self, n_events, d_model, max_len):
        super().__init__()
        self.tok = nn.Embedding(n_events, d_model)
        pos = torch.arange(max_len)[:, None]
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, events):
        return self.tok(events) + self.pe[: events.size(1)]


class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, causal):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=~causal, need_weights=False)  # MHA wants True = blocked
        x = x + a
        return x + self.ff(self.ln2(x))


class PianoRollLM(nn.Module):
    def __init__(self, n_events=388, d_model=256, n_heads=8, n_layers=4, max_len=1024, dropout=0.1):
        super().__init__()
        self.embed = EventEmbedding(n_events, d_model, max_len)
        self.blocks = nn.ModuleList(DecoderBlock(d_model, n_heads, dropout) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, n_events)
        # lower-triangular "can see" matrix, sliced per batch
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)))

    def forward(self, events):
        T = events.size(1)
        x = self.embed(events)
        for blk in self.blocks:
            x = blk(x, self.causal[:T, :T])
        return self.out(self.norm(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PianoRollLM(dropout=0.0)
    seq = torch.randint(0, 388, (4, 128))
    logits = model(seq[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 388), seq[:, 1:].reshape(-1))
    print("next-event loss", loss.item())
