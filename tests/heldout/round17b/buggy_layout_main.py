"""Named-entity tagger for de-identified clinical notes (drug, dose, route...)."""
import torch
from torch import nn

PAD = 0
TAGS = ["O", "B-DRUG", "I-DRUG", "B-DOSE", "I-DOSE", "B-ROUTE", "B-FREQ"]


class NoteTagger(nn.Module):
    def __init__(self, vocab=6000, dim=64, heads=4, layers=2, batch_first=True):
        super().__init__()
        self.batch_first = batch_first
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(512, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=batch_first)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.tagger = nn.Linear(dim, len(TAGS))

    def forward(self, tokens):
        seq_dim = 1 if self.batch_first else 0
        steps = torch.arange(tokens.size(seq_dim), device=tokens.device)
        x = self.emb(tokens) + self.pos(steps if self.batch_first else steps[:, None])
        h = self.encoder(x, src_key_padding_mask=(tokens == PAD))  # expect: ML304
        return self.tagger(h)


def to_time_major(notes, max_len=None):
    max_len = max_len or max(len(n) for n in notes)
    out = torch.full((max_len, len(notes)), PAD)
    for j, note in enumerate(notes):
        out[:len(note), j] = torch.tensor(note[:max_len])
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    notes = [[12, 99, 430, 7, 81], [56, 3, 2200, 18, 9, 44, 610], [73, 73, 5]]
    tokens = to_time_major(notes)
    tagger = NoteTagger(batch_first=False)
    tagger.eval()
    with torch.no_grad():
        tags = tagger.forward(tokens).argmax(-1)
    for j, note in enumerate(notes):
        print([TAGS[t] for t in tags[:len(note), j].tolist()])
