import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MHA(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, key_padding_mask=None):
        """key_padding_mask: (B, S) bool, True = keep."""
        b, s, d = x.shape
        q, k, v = self.Wqkv(x).view(b, s, 3, self.n_head, -1).unbind(2)
        scores = torch.einsum("bthd,bshd->bhts", q, k / math.sqrt(q.size(-1)))
        if key_padding_mask is not None:
            padding_mask = torch.full((b, s), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        causal = torch.triu(torch.full((s, s), -10000.0, device=scores.device), 1)
        attn = torch.softmax(scores + causal, dim=-1)
        return self.out_proj(torch.einsum("bhts,bshd->bthd", attn, v).reshape(b, s, d))


class PhiLikeLM(nn.Module):
    def __init__(self, vocab=512, d_model=64, n_head=4, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList(MHA(d_model, n_head) for _ in range(n_layer))
        self.lns = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_layer))
        self.head = nn.Linear(d_model, vocab)

    def forward(self, input_ids, attention_mask=None):
        h = self.wte(input_ids)
        key_padding_mask = attention_mask  # BUG
        for blk, ln in zip(self.blocks, self.lns):
            h = h + blk(ln(h), key_padding_mask=key_padding_mask)
        return self.head(h)


def train_one_epoch(model, loader, optimizer):
    model.train()
    for batch in loader:
        input_ids, attention_mask = batch["input_ids"], batch["attention_mask"]
        logits = model(input_ids, attention_mask=attention_mask)
        labels = input_ids[:, 1:].masked_fill(attention_mask[:, 1:] == 0, -100)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=-100)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
