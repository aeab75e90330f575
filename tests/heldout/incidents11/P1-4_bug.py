from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class LabelAttentionConfig:
    n_head: int
    num_classes: int
    embedding_dim: int


@dataclass
class TextEmbedderConfig:
    vocab_size: int
    embedding_dim: int
    padding_idx: int = 0
    label_attention_config: LabelAttentionConfig | None = None


class LabelAttentionClassifier(nn.Module):
    """Labels are the queries, the tokens of the text are keys and values."""

    def __init__(self, config: LabelAttentionConfig):
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = config.embedding_dim // config.n_head
        self.label_embeds = nn.Embedding(config.num_classes, config.embedding_dim)
        self.c_q = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_k = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_v = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)
        self.c_proj = nn.Linear(config.embedding_dim, config.embedding_dim, bias=False)

    def _split(self, t):
        b, n, _ = t.shape
        return t.view(b, n, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings, attention_mask):
        B, T, C = token_embeddings.shape
        labels = self.label_embeds.weight.unsqueeze(0).expand(B, -1, -1)
        q = self._split(self.c_q(labels))
        k = self._split(self.c_k(token_embeddings))
        v = self._split(self.c_v(token_embeddings))
        attn_mask = None
        if attention_mask is not None:
            attn_mask = (attention_mask == 0)  # BUG
            attn_mask = attn_mask[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)
        y = y.transpose(1, 2).contiguous().view(B, -1, C)
        return self.c_proj(y)


class TextEmbedder(nn.Module):
    def __init__(self, config: TextEmbedderConfig):
        super().__init__()
        self.config = config
        self.embedding_layer = nn.Embedding(config.vocab_size, config.embedding_dim, padding_idx=config.padding_idx)
        self.encoder = nn.Sequential(nn.LayerNorm(config.embedding_dim), nn.Linear(config.embedding_dim, config.embedding_dim), nn.GELU())
        self.label_attention_module = None
        if config.label_attention_config is not None:
            self.label_attention_module = LabelAttentionClassifier(config.label_attention_config)

    def forward(self, input_ids, attention_mask):
        token_embeddings = self.encoder(self.embedding_layer(input_ids))
        if self.label_attention_module is not None:
            return self.label_attention_module(token_embeddings, attention_mask=attention_mask)
        mask = attention_mask.unsqueeze(-1).float()
        return (token_embeddings * mask).sum(1) / mask.sum(1)


class TextClassificationModel(nn.Module):
    def __init__(self, embedder: TextEmbedder, num_classes: int):
        super().__init__()
        self.text_embedder = embedder
        self.classification_head = nn.Linear(embedder.config.embedding_dim, 1)

    def forward(self, input_ids, attention_mask):
        label_sentence_embeddings = self.text_embedder(input_ids, attention_mask)
        return self.classification_head(label_sentence_embeddings).squeeze(-1)


def collate(batch_token_lists, pad_id=0):
    max_len = max(len(t) for t in batch_token_lists)
    input_ids = torch.full((len(batch_token_lists), max_len), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(batch_token_lists), max_len), dtype=torch.long)
    for i, toks in enumerate(batch_token_lists):
        input_ids[i, : len(toks)] = torch.tensor(toks)
        attention_mask[i, : len(toks)] = 1
    return input_ids, attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    la_cfg = LabelAttentionConfig(n_head=2, num_classes=5, embedding_dim=16)
    emb = TextEmbedder(TextEmbedderConfig(vocab_size=50, embedding_dim=16, label_attention_config=la_cfg))
    model = TextClassificationModel(emb, num_classes=5).eval()
    input_ids, attention_mask = collate([[5, 8, 13, 21, 34, 3], [7, 9, 11]])
    garbage = input_ids.clone()
    garbage[attention_mask == 0] = 42
    with torch.no_grad():
        a = model(input_ids, attention_mask)
        b = model(garbage, attention_mask)
    print(f"logit change when padded positions change: {(a - b).abs().max().item():.3e}")
