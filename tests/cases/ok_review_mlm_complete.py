"""A small BERT (bidirectional masked LM) used for left-to-right completion the MLM way:
append a [MASK], predict it, put the prediction in its place, repeat.  Every position the
model sees is real context or the one [MASK] being predicted: no causal mask is needed."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BertLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, pad):
        x = self.ln1(x + self.attn(x, x, x, key_padding_mask=pad, need_weights=False)[0])
        return self.ln2(x + self.ff(x))


class BertForMaskedLM(nn.Module):
    def __init__(self, vocab=100, d=64, h=4, pad_id=0, mask_id=3):
        super().__init__()
        self.pad_id, self.mask_id = pad_id, mask_id
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(128, d)
        self.layers = nn.ModuleList([BertLayer(d, h) for _ in range(2)])
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        pad = ids == self.pad_id
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1)))
        for layer in self.layers:
            x = layer(x, pad)
        return self.head(x)

    def mlm_loss(self, ids, labels):
        logits = self(ids)
        return F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)

    @torch.no_grad()
    def complete(self, ids, n_tokens=5):
        for _ in range(n_tokens):
            masked = torch.cat([ids, torch.full_like(ids[:, :1], self.mask_id)], dim=1)
            nxt = self(masked)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
        return ids


if __name__ == "__main__":
    m = BertForMaskedLM().eval()
    print(m.complete(torch.randint(4, 100, (2, 4))).shape)
