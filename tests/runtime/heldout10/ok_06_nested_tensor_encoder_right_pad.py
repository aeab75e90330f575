# EXPECT: ok nn.TransformerEncoder with enable_nested_tensor=True and a bool src_key_padding_mask (True = pad) on right-padded batches; in eval the nested-tensor path returns zeros at padded positions, which the masked mean pooling excludes.
"""Text-embedding model on nn.TransformerEncoder with the nested-tensor inference fast path, in the style of the PyTorch 'Better Transformer' tutorial / torchtext RoBERTa encoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EmbeddingModel(nn.Module):
    def __init__(self, vocab=60, d=32, heads=4, layers=2, p=0.1, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_idx)
        self.pos = nn.Embedding(16, d)
        layer = nn.TransformerEncoderLayer(d, heads, 64, p, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=True)
        self.proj = nn.Linear(d, 16)

    def forward(self, ids):
        pad = ids == self.pad_idx
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1)))[None]
        h = self.encoder(x, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).to(h.dtype)
        pooled = (h * keep).sum(1) / keep.sum(1)
        return F.normalize(self.proj(pooled), dim=-1)


def batch(lengths, T=10):
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, 60, (n,))
    return ids


def run():
    torch.manual_seed(0)
    model = EmbeddingModel()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    a, b = batch([8, 5, 10]), batch([6, 9, 3])
    model.train()
    za, zb = model(a), model(b)
    logits = za @ zb.t() / 0.05
    loss = F.cross_entropy(logits, torch.arange(3))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        emb = model(batch([4, 10, 7, 2]))
    return [loss.detach(), *grads, emb]
