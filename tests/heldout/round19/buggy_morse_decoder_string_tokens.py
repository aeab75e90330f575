"""Morse code reader: token sequences like ['.-', '-...', '/', ...] are decoded letter by letter.
Time-major (seq-first) layout, as in the original RNN code this replaced."""
import torch
import torch.nn as nn

MORSE = {".-": "A", "-...": "B", "-.-.": "C", "-..": "D", ".": "E", "..-.": "F", "--.": "G", "....": "H",
         "..": "I", ".---": "J", "-.-": "K", ".-..": "L", "--": "M", "-.": "N", "---": "O", ".--.": "P",
         "--.-": "Q", ".-.": "R", "...": "S", "-": "T", "..-": "U", "...-": "V", ".--": "W", "-..-": "X",
         "-.--": "Y", "--..": "Z", "/": " "}
SYMBOLS = ["<pad>", "<unk>"] + list(MORSE)
SYM_ID = {s: i for i, s in enumerate(SYMBOLS)}
OUTPUTS = sorted(set(MORSE.values()))


def batch_tokens(messages):
    width = max(len(m) for m in messages)
    padded = [m + ["<pad>"] * (width - len(m)) for m in messages]
    ids = torch.tensor([[SYM_ID.get(t, 1) for t in row] for row in padded]).t()  # (S, N)
    real = torch.tensor([[tok != "<pad>" for tok in row] for row in padded])  # (N, S)
    return ids, real


class MorseReader(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(len(SYMBOLS), d)
        self.pos = nn.Parameter(torch.randn(128, 1, d) * 0.02)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads) for _ in range(layers))
        self.ffn = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d)) for _ in range(layers))
        self.out = nn.Linear(d, len(OUTPUTS))

    def forward(self, ids, real):
        x = self.emb(ids) + self.pos[: ids.size(0)]
        for attn, ffn in zip(self.attn, self.ffn):
            x = x + attn(x, x, x, key_padding_mask=real)[0]  # BUG: `real` is True on real symbols; key_padding_mask wants True on the <pad> tokens
            x = x + ffn(x)
        return self.out(x)  # (S, N, letters)


def decode(model, messages):
    ids, real = batch_tokens(messages)
    with torch.no_grad():
        best = model(ids, real).argmax(-1).t()
    return ["".join(OUTPUTS[i] for i, r in zip(row.tolist(), ok.tolist()) if r) for row, ok in zip(best, real)]


if __name__ == "__main__":
    msgs = [["....", ".", ".-..", ".-..", "---"], ["...", "---", "..."]]
    print(decode(MorseReader().eval(), msgs))
