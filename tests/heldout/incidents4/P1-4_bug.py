from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class EmbedderConfig:
    vocab_size: int
    embedding_dim: int
    num_classes: int
    n_heads_label_attention: int = 4
    padding_idx: int = 0


class LabelAttention(nn.Module):
    """Each class owns a learned query that attends over the token sequence."""

    def __init__(self, config: EmbedderConfig):
        super().__init__()
        self.n_heads = config.n_heads_label_attention
        self.head_dim = config.embedding_dim // self.n_heads
        self.label_queries = nn.Parameter(torch.randn(config.num_classes, config.embedding_dim) * 0.02)
        self.key_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.value_proj = nn.Linear(config.embedding_dim, config.embedding_dim)

    def forward(self, token_embeddings, **kwargs):
        b, s, d = token_embeddings.shape
        q = self.label_queries.view(1, -1, self.n_heads, self.head_dim).transpose(1, 2).expand(b, -1, -1, -1)
        k = self.key_proj(token_embeddings).view(b, s, self.n_heads, self.head_dim).transpose(1, 2)
        v = self.value_proj(token_embeddings).view(b, s, self.n_heads, self.head_dim).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=kwargs.get("attn_mask"))  # BUG
        return out.transpose(1, 2).reshape(b, -1, d)


class TextEmbedder(nn.Module):
    def __init__(self, config: EmbedderConfig):
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_dim, padding_idx=config.padding_idx)
        self.label_attention = LabelAttention(config)

    @staticmethod
    def _label_attention_mask(attention_mask):
        key_mask = attention_mask == 0  # BUG
        return key_mask[:, None, None, :]

    def forward(self, input_ids, attention_mask):
        token_embeddings = self.embedding(input_ids)
        extra = {"attn_mask": self._label_attention_mask(attention_mask)}
        return self.label_attention(token_embeddings, **extra)


class TextClassificationModel(nn.Module):
    def __init__(self, config: EmbedderConfig):
        super().__init__()
        self.text_embedder = TextEmbedder(config)
        self.classifier = nn.Linear(config.embedding_dim, 1)

    def forward(self, input_ids, attention_mask):
        label_repr = self.text_embedder(input_ids, attention_mask)
        return self.classifier(label_repr).squeeze(-1)


def build_model(vocab_size, num_classes, embedding_dim=96):
    cfg = EmbedderConfig(vocab_size=vocab_size, embedding_dim=embedding_dim, num_classes=num_classes)
    return TextClassificationModel(cfg)
