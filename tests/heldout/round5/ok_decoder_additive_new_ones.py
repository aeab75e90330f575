"""Melody harmonizer: stock nn.TransformerDecoderLayer used alone; the causal mask is an additive
float mask filled in place, and memory (melody) padding is a float 0/-inf mask too."""
import torch
import torch.nn as nn


class Harmonizer(nn.Module):
    def __init__(self, n_chords=48, n_notes=128, d=64):
        super().__init__()
        self.chord_emb, self.note_emb = nn.Embedding(n_chords, d), nn.Embedding(n_notes, d)
        self.layer = nn.TransformerDecoderLayer(d, 4, 128, batch_first=True)
        self.out = nn.Linear(d, n_chords)

    def forward(self, chords, melody, melody_pad):
        T = chords.size(1)
        x = self.chord_emb(chords)
        future = x.new_ones(T, T).triu(1).bool()
        attn = x.new_zeros(T, T)
        attn.masked_fill_(future, float("-inf"))
        mem_bias = torch.zeros_like(melody_pad, dtype=x.dtype).masked_fill_(melody_pad, float("-inf"))
        h = self.layer(x, self.note_emb(melody), tgt_mask=attn, memory_key_padding_mask=mem_bias)
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Harmonizer().eval()
    mel = torch.randint(0, 128, (2, 20)); pad = torch.zeros(2, 20, dtype=torch.bool); pad[1, 15:] = True
    c = torch.randint(0, 48, (2, 8))
    with torch.no_grad():
        y = m(c, mel, pad)
        c2 = c.clone(); c2[:, 6:] = 0
        print("causal:", torch.allclose(y[:, :6], m(c2, mel, pad)[:, :6], atol=1e-5))
