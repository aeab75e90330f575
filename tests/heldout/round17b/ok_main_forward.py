"""Part-of-speech tagger for Middle English manuscripts (time-major batches)."""
import torch
from torch import nn

PAD = 0
TAGS = ["NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "CONJ", "NUM", "PUNCT"]


class ManuscriptTagger(nn.Module):
    def __init__(self, vocab=9000, dim=64, heads=4, layers=2, batch_first=True):
        super().__init__()
        self.batch_first = batch_first
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(256, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=batch_first)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(dim, len(TAGS))

    def forward(self, words):
        if self.batch_first:
            pad = words == PAD
            steps = torch.arange(words.size(1), device=words.device)[None, :]
        else:
            pad = (words == PAD).transpose(0, 1)
            steps = torch.arange(words.size(0), device=words.device)[:, None]
        x = self.emb(words) + self.pos(steps)
        return self.out(self.encoder(x, src_key_padding_mask=pad))


def time_major(sentences):
    n = max(map(len, sentences))
    out = torch.full((n, len(sentences)), PAD)
    for j, s in enumerate(sentences):
        out[:len(s), j] = torch.tensor(s)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    sentences = [[14, 880, 31, 5, 77], [9, 9, 402, 18, 3001, 6, 2], [70, 4]]
    words = time_major(sentences)
    tags = ManuscriptTagger(batch_first=False).eval().forward(words).argmax(-1)
    for j, s in enumerate(sentences):
        print([TAGS[t] for t in tags[:len(s), j].tolist()])
