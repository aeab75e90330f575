"""Melody-to-accompaniment arranger: the melody (source) and the accompaniment
(target) are both note-event sequences of varying length; an nn.Transformer
maps one to the other. Greedy decoding for the demo."""
import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


def pad_batch(seqs):
    L = max(len(s) for s in seqs)
    return torch.tensor([s + [PAD] * (L - len(s)) for s in seqs])


class Arranger(nn.Module):
    def __init__(self, vocab=48, d=32, heads=4):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(64, d)
        self.transformer = nn.Transformer(d, heads, 2, 2, 64, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def forward(self, melody, accomp_in):
        S, T = melody.size(1), accomp_in.size(1)
        src = self.src_emb(melody) + self.pos(torch.arange(S))
        tgt = self.tgt_emb(accomp_in) + self.pos(torch.arange(T))
        hidden = self.transformer(  # expect: ML502
            src, tgt,
            tgt_mask=self.transformer.generate_square_subsequent_mask(T, dtype=torch.bool),
            src_key_padding_mask=melody == PAD,
            tgt_key_padding_mask=accomp_in == PAD,
        )
        return self.out(hidden)

    @torch.no_grad()
    def arrange(self, melody, steps=5):
        out = torch.full((melody.size(0), 1), BOS)
        for _ in range(steps):
            nxt = self(melody, out)[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Arranger().eval()
    short = [5, 9, 12, 7]
    batch = pad_batch([[5, 9, 12, 7, 30, 31, 33, 40, 41], short])
    alone = pad_batch([short])
    with torch.no_grad():
        accomp = torch.tensor([[BOS, 3, 4, 5]])
        in_batch = model(batch, accomp.expand(2, -1))[1]
        by_itself = model(alone, accomp)[0]
    diff = (in_batch - by_itself).abs().max().item()
    print("short melody: logits in a padded batch vs alone:", diff)
    assert diff > 1e-3
