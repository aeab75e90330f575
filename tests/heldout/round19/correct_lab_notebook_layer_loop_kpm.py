"""Entity tagger for electronic lab-notebook entries (reagent, amount, instrument, temperature)."""
import torch
import torch.nn as nn

LABELS = ["O", "B-REAGENT", "I-REAGENT", "B-AMOUNT", "B-INSTR", "I-INSTR", "B-TEMP"]


class EntryLayer(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, pad=None):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]
        return x + self.ff(self.norm2(x))


class NotebookTagger(nn.Module):
    def __init__(self, vocab_size, pad_id=0, d=64, heads=4, n_layers=2, max_len=64):
        super().__init__()
        self.pad_id = pad_id
        self.word = nn.Embedding(vocab_size, d, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(EntryLayer(d, heads) for _ in range(n_layers))
        self.head = nn.Linear(d, len(LABELS))

    def forward(self, ids):
        pad = ids == self.pad_id
        x = self.word(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for layer in self.layers:
            x = layer(x, pad)
        return self.head(x)


def token_loss(model, ids, labels):
    logits = model(ids)
    labels = labels.masked_fill(ids == model.pad_id, -100)
    return nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)


if __name__ == "__main__":
    ids = torch.tensor([[5, 9, 13, 2, 7, 0, 0], [4, 4, 8, 11, 3, 6, 1]])
    labels = torch.randint(0, len(LABELS), ids.shape)
    print(token_loss(NotebookTagger(32), ids, labels))
