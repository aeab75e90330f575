"""Symbolic music continuation conditioned on a style vector (genre + tempo)."""
import math

import torch
from torch import nn


class SinusoidalPositions(nn.Module):
    def __init__(self, d_model, max_len=1024):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class StyleEncoder(nn.Module):
    def __init__(self, n_genres, d_model):
        super().__init__()
        self.genre = nn.Embedding(n_genres, d_model)
        self.tempo = nn.Linear(1, d_model)

    def forward(self, genre, bpm):
        tokens = torch.stack([self.genre(genre), self.tempo(bpm.unsqueeze(-1) / 200.0)], dim=1)
        return tokens  # (B, 2, d_model) used as decoder memory


class MotifDecoder(nn.Module):
    def __init__(self, vocab=388, n_genres=12, d_model=128, nhead=8, num_layers=3, max_len=512):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.positions = SinusoidalPositions(d_model, max_len)
        self.style = StyleEncoder(n_genres, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers, norm=nn.LayerNorm(d_model))
        self.out = nn.Linear(d_model, vocab)
        mask = torch.ones(max_len, max_len, dtype=torch.bool)
        mask.tril_()
        self.register_buffer("causal_mask", mask, persistent=False)

    def forward(self, events, genre, bpm):
        T = events.size(1)
        x = self.positions(self.embed(events) * math.sqrt(self.embed.embedding_dim))
        memory = self.style(genre, bpm)
        h = self.decoder(x, memory, tgt_mask=self.causal_mask[:T, :T])  # expect: ML101
        return self.out(h)

    @torch.no_grad()
    def continue_sequence(self, primer, genre, bpm, n_events=8, top_k=20):
        seq = primer
        for _ in range(n_events):
            logits = self(seq, genre, bpm)[:, -1]
            vals, idx = logits.topk(top_k, dim=-1)
            choice = torch.multinomial(vals.softmax(-1), 1)
            seq = torch.cat([seq, idx.gather(-1, choice)], dim=1)
        return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MotifDecoder()
    events = torch.randint(0, 388, (4, 33))
    genre, bpm = torch.randint(0, 12, (4,)), torch.tensor([90.0, 120.0, 140.0, 75.0])
    logits = model(events[:, :-1], genre, bpm)
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), events[:, 1:].reshape(-1))
    print("train loss", round(loss.item(), 3))
    model.eval()
    try:
        print("continuation", tuple(model.continue_sequence(events[:2, :16], genre[:2], bpm[:2]).shape))
    except RuntimeError as err:
        print("sampling failed:", err)
