import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelAttentionClassifier(nn.Module):
    """Each label owns a query vector that attends over the token embeddings."""

    def __init__(self, vocab_size, num_labels, embed_dim=64, num_heads=4, pad_idx=0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.label_queries = nn.Parameter(torch.randn(num_labels, embed_dim) * 0.02)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.scorer = nn.Linear(embed_dim, 1)

    def _heads(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, input_ids, attention_mask):
        tokens = self.embedding(input_ids)
        b = tokens.size(0)
        q = self._heads(self.label_queries.unsqueeze(0).expand(b, -1, -1))
        k = self._heads(self.k_proj(tokens))
        v = self._heads(self.v_proj(tokens))
        keep_mask = attention_mask.bool()[:, None, None, :]
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=keep_mask)
        ctx = ctx.transpose(1, 2).reshape(b, -1, self.num_heads * self.head_dim)
        return self.scorer(ctx).squeeze(-1)  # (batch, num_labels)


def train_one_epoch(model, loader, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for batch in loader:
        input_ids = batch["input_ids"].to(device)
        attention_mask = batch["attention_mask"].to(device)
        labels = batch["labels"].float().to(device)
        logits = model(input_ids, attention_mask)
        loss = F.binary_cross_entropy_with_logits(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / max(len(loader), 1)
