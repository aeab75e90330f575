"""The same mask in a bidirectional encoder, and in a causal LM that adds a causal mask (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def extend(attention_mask, dtype):
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Backbone(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4, causal=False):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, heads, batch_first=True)

    def forward(self, ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(ids)
        n = ids.size(1)
        mask = extend(attention_mask, torch.float32).expand(-1, self.heads, n, -1).reshape(-1, n, n)
        if self.causal:
            future = torch.triu(torch.full((n, n), torch.finfo(torch.float32).min, device=ids.device), 1)
            mask = torch.minimum(mask, future)
        return self.layer(self.emb(ids), src_mask=mask)


class BackboneForCausalLM(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        self.backbone = Backbone(vocab, d, causal=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, labels=None):
        logits = self.head(self.backbone(ids))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))


class BackboneForSequenceClassification(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        self.backbone = Backbone(vocab, d)
        self.head = nn.Linear(d, 2)

    def forward(self, ids, attention_mask=None):
        return self.head(self.backbone(ids, attention_mask)[:, 0])
