"""Label attention: each class label is a learned query that cross-attends over the
token embeddings, giving one sentence embedding per label."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class LabelAttentionConfig:
    n_head: int
    num_classes: int
    embedding_dim: int


class LabelAttentionClassifier(nn.Module):
    def __init__(self, config: LabelAttentionConfig):
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = config.embedding_dim // config.n_head
        self.label_queries = nn.Parameter(torch.randn(config.num_classes, config.embedding_dim) * 0.02)
        self.k_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.v_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.out = nn.Linear(config.embedding_dim, 1)

    def _split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings, attention_mask):
        # token_embeddings: (B, T, D); attention_mask: (B, T) from the tokenizer, 1 = real token
        bsz = token_embeddings.size(0)
        q = self._split(self.label_queries.unsqueeze(0).expand(bsz, -1, -1))
        k = self._split(self.k_proj(token_embeddings))
        v = self._split(self.v_proj(token_embeddings))
        attn_mask = attention_mask.bool()[:, None, None, :]
        label_emb = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        label_emb = label_emb.transpose(1, 2).reshape(bsz, -1, self.n_head * self.head_dim)
        return self.out(label_emb).squeeze(-1), label_emb  # logits (B, num_classes)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = LabelAttentionConfig(n_head=2, num_classes=5, embedding_dim=16)
    clf = LabelAttentionClassifier(cfg).eval()
    emb = torch.randn(2, 6, 16)
    mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    logits, _ = clf(emb, mask)
    noisy = emb.clone()
    noisy[0, 4:] = torch.randn(2, 16) * 10  # only padding changes
    logits2, _ = clf(noisy, mask)
    print(logits.shape)
    print("logit change from padding content:", (logits - logits2).abs().max().item())
