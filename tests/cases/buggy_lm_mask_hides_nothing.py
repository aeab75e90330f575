"""A language model whose only mask hides nothing: the extended padding mask of a batch with no
padding (RoFormer used as a causal LM, P4-9), or an additive mask of zeros."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def extend(attention_mask, dtype):
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Backbone(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, heads, batch_first=True)

    def forward(self, ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(ids)
        n = ids.size(1)
        mask = extend(attention_mask, torch.float32).expand(-1, self.heads, n, -1).reshape(-1, n, n)
        return self.layer(self.emb(ids), src_mask=mask)  # expect: ML401


class BackboneForCausalLM(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        self.backbone = Backbone(vocab, d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, labels=None):
        logits = self.head(self.backbone(ids))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))


def train(model: BackboneForCausalLM, batch):
    return model(batch, labels=batch)
