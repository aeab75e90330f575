import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertSelfAttention(nn.Module):
    def __init__(self, hidden=256, heads=4, dropout=0.1):
        super().__init__()
        self.heads, self.d_k = heads, hidden // heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.dense = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        # mask: (B, 1, 1, S) with 1 = token, 0 = padding
        b, s, _ = x.shape
        q, k, v = (lin(x).view(b, s, self.heads, self.d_k).transpose(1, 2) for lin in (self.query, self.key, self.value))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.d_k)
        scores = scores.masked_fill(mask == 0, -1e10)  # BUG
        p_attn = self.dropout(F.softmax(scores, dim=-1))
        return self.dense(torch.matmul(p_attn, v).transpose(1, 2).reshape(b, s, -1))


class TinyBert(nn.Module):
    def __init__(self, vocab=30522, hidden=256, heads=4, layers=4, num_labels=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden, padding_idx=0)
        self.pos = nn.Embedding(512, hidden)
        self.attn = nn.ModuleList(BertSelfAttention(hidden, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.cls = nn.Linear(hidden, num_labels)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        mask = attention_mask[:, None, None, :]
        for attn, norm in zip(self.attn, self.norms):
            h = norm(h + attn(h, mask))
        return self.cls(h[:, 0])


def train_one_epoch(model, loader, optimizer, scaler, device="cuda"):
    """Mixed-precision fine-tuning loop (fp16 autocast + GradScaler)."""
    model.train()
    for batch in loader:
        input_ids = batch["input_ids"].to(device)
        attention_mask = batch["attention_mask"].to(device)
        labels = batch["labels"].to(device)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            logits = model(input_ids, attention_mask)
            loss = F.cross_entropy(logits.float(), labels)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
