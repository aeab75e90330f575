from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LabelAttentionConfig:
    embedding_dim: int = 256
    num_classes: int = 12
    n_head: int = 4
    dropout: float = 0.1


class LabelAttentionClassifier(nn.Module):
    """Each class owns a learned query that attends over the token embeddings."""

    def __init__(self, config: LabelAttentionConfig):
        super().__init__()
        self.config = config
        self.head_dim = config.embedding_dim // config.n_head
        self.label_queries = nn.Parameter(torch.randn(config.num_classes, config.embedding_dim) * 0.02)
        self.k_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.v_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.out = nn.Linear(config.embedding_dim, 1)

    def _split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.config.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        bsz, seq_len, _ = token_embeddings.shape
        q = self.label_queries.unsqueeze(0).expand(bsz, -1, -1)
        q = self._split(q)
        k = self._split(self.k_proj(token_embeddings))
        v = self._split(self.v_proj(token_embeddings))

        # (B, 1, 1, S) so it broadcasts over heads and label queries
        attn_mask = attention_mask.bool()[:, None, None, :]

        ctx = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            dropout_p=self.config.dropout if self.training else 0.0,
        )
        ctx = ctx.transpose(1, 2).reshape(bsz, self.config.num_classes, -1)
        return self.out(ctx).squeeze(-1)


if __name__ == "__main__":
    cfg = LabelAttentionConfig()
    model = LabelAttentionClassifier(cfg).eval()
    emb = torch.randn(3, 20, cfg.embedding_dim)
    mask = torch.ones(3, 20, dtype=torch.long)
    mask[1, 12:] = 0
    mask[2, 5:] = 0
    print(model(emb, mask).shape)
