"""Bidirectional encoders: a masked-LM pretraining model and a ViT classifier (no causal mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedLM(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4, layers=2, pad_id=0, mask_id=3):
        super().__init__()
        self.pad_id, self.mask_id = pad_id, mask_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 2 * d, 0.0, batch_first=True), layers, enable_nested_tensor=False)
        self.mlm_head = nn.Linear(d, vocab)

    def forward(self, ids):
        pad = ids == self.pad_id
        return self.mlm_head(self.encoder(self.emb(ids), src_key_padding_mask=pad))


def mlm_step(model, ids, optimizer, p=0.15):
    labels = ids.clone()
    corrupt = (torch.rand(ids.shape) < p) & (ids != model.pad_id)
    labels[~corrupt] = -100
    inputs = ids.masked_fill(corrupt, model.mask_id)
    logits = model(inputs)
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


class ViT(nn.Module):
    def __init__(self, patch=4, dim=64, heads=4, depth=2, num_classes=10):
        super().__init__()
        self.to_patch = nn.Conv2d(3, dim, patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.blocks = nn.ModuleList([nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True, norm_first=True) for _ in range(depth)])
        self.head = nn.Linear(dim, num_classes)

    def forward(self, img):
        x = self.to_patch(img).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)
        for blk in self.blocks:
            x = blk(x)
        return self.head(x[:, 0])
