"""A melody transformer sampled by a module-level helper (multinomial over the last position's
distribution, appended to the prompt it feeds back in); its MHA gets only the padding mask."""
import torch
import torch.nn as nn


class MelodyTransformer(nn.Module):
    def __init__(self, vocab=90, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.head = nn.Linear(dim, vocab)

    def forward(self, notes):
        x = self.emb(notes)
        y, _ = self.attn(x, x, x, key_padding_mask=notes == 0)  # expect: ML401
        return self.head(x + y)


def extend_line(model, prompt, steps=16, temperature=1.0):
    notes = prompt
    for _ in range(steps):
        probs = torch.softmax(model(notes)[:, -1] / temperature, dim=-1)
        notes = torch.cat([notes, torch.multinomial(probs, 1)], dim=1)
    return notes
