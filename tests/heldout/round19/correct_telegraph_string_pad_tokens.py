"""Classifies historical telegraph messages (commercial / press / government / private) from their
code-word tokens. Time-major attention, batches padded with a literal '<pad>' string."""
import torch
import torch.nn as nn

CLASSES = ["commercial", "press", "government", "private"]


class CodebookVocab:
    def __init__(self, messages):
        words = sorted({w for m in messages for w in m})
        self.itos = ["<pad>", "<unk>"] + words
        self.stoi = {w: i for i, w in enumerate(self.itos)}

    def batch(self, messages):
        width = max(map(len, messages))
        rows = [m + ["<pad>"] * (width - len(m)) for m in messages]
        ids = torch.tensor([[self.stoi.get(w, 1) for w in r] for r in rows])
        is_pad = torch.tensor([[w == "<pad>" for w in r] for r in rows])
        return ids.transpose(0, 1), is_pad  # (S, N), (N, S)


class TelegramClassifier(nn.Module):
    def __init__(self, vocab_size, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, dropout=0.1) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.cls = nn.Linear(d, len(CLASSES))

    def forward(self, ids, is_pad):
        x = self.emb(ids)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, x, x, key_padding_mask=is_pad, need_weights=False)[0])
        keep = (~is_pad).t().unsqueeze(-1).float()  # (S, N, 1)
        return self.cls((x * keep).sum(0) / keep.sum(0))


if __name__ == "__main__":
    msgs = [["ABAFT", "BEDLAM", "COTTON", "STOP", "ADVISE"], ["ARRIVING", "TUESDAY", "STOP"]]
    vocab = CodebookVocab(msgs)
    ids, is_pad = vocab.batch(msgs)
    model = TelegramClassifier(len(vocab.itos)).eval()
    print(model(ids, is_pad).softmax(-1))
