from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LabelAttentionConfig:
    n_head: int
    num_classes: int
    embedding_dim: int


class LabelAttentionClassifier(nn.Module):
    """Labels act as queries over the token embeddings (cross-attention)."""

    def __init__(self, config: LabelAttentionConfig):
        super().__init__()
        self.config = config
        self.n_head = config.n_head
        self.head_dim = config.embedding_dim // config.n_head
        self.label_embeds = nn.Embedding(config.num_classes, config.embedding_dim)
        self.c_q = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_k = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_v = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_proj = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)

    def forward(self, token_embeddings, attention_mask=None):
        B, T, C = token_embeddings.size()
        all_labels = torch.arange(self.config.num_classes, device=token_embeddings.device)
        labels = self.label_embeds(all_labels).unsqueeze(0).expand(B, -1, -1)

        q = self.c_q(labels).view(B, -1, self.n_head, self.head_dim).transpose(1, 2)
        k = self.c_k(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = self.c_v(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)

        attn_mask = None
        if attention_mask is not None:
            # attention_mask: (B, T), 1 for real tokens, 0 for padding
            attn_mask = (attention_mask == 0)[:, None, None, :]  # BUG: True marks padding

        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)  # BUG: SDPA attends where True
        y = y.transpose(1, 2).contiguous().view(B, self.config.num_classes, C)
        return self.c_proj(y)


def run():
    cfg = LabelAttentionConfig(n_head=2, num_classes=3, embedding_dim=8)
    model = LabelAttentionClassifier(cfg)
    tokens = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    return model(tokens, attention_mask=attention_mask)
