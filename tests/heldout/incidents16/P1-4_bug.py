"""Label attention head: one learned query per class attends over the token embeddings."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LabelAttentionConfig:
    embedding_dim: int = 48
    num_classes: int = 5
    n_head: int = 4
    dropout: float = 0.0


class LabelAttentionClassifier(nn.Module):
    """Cross-attention from class embeddings (queries) to token embeddings (keys/values)."""

    def __init__(self, config: LabelAttentionConfig):
        super().__init__()
        self.config = config
        self.n_head = config.n_head
        self.head_dim = config.embedding_dim // config.n_head
        self.label_embeds = nn.Parameter(torch.randn(config.num_classes, config.embedding_dim) * 0.02)
        self.c_q = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_k = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_v = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_proj = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.scorer = nn.Linear(config.embedding_dim, 1)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """token_embeddings: (B, T, D); attention_mask: (B, T) with 1 for tokens, 0 for padding."""
        b, t, d = token_embeddings.shape
        labels = self.label_embeds.unsqueeze(0).expand(b, -1, -1)

        q = self._heads(self.c_q(labels))
        k = self._heads(self.c_k(token_embeddings))
        v = self._heads(self.c_v(token_embeddings))

        attn_mask = None
        if attention_mask is not None:
            attn_mask = (attention_mask == 0)[:, None, None, :]  # BUG: True marks padding, SDPA keeps True positions (attends only to padding)

        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            dropout_p=self.config.dropout if self.training else 0.0,
        )
        y = y.transpose(1, 2).contiguous().view(b, self.config.num_classes, d)
        y = self.c_proj(y)
        return self.scorer(y).squeeze(-1)  # (B, num_classes) logits
