from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LabelAttentionConfig:
    n_head: int
    num_classes: int


class LabelAttentionClassifier(nn.Module):
    """Labels act as queries over the token embeddings (cross-attention)."""

    def __init__(self, embedding_dim: int, config: LabelAttentionConfig):
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = embedding_dim // config.n_head
        self.label_embeds = nn.Embedding(config.num_classes, embedding_dim)
        self.c_k = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_v = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_proj = nn.Linear(embedding_dim, embedding_dim)

    def forward(self, token_embeddings, attention_mask=None):
        B, T, C = token_embeddings.size()
        labels = self.label_embeds.weight.unsqueeze(0).expand(B, -1, -1)
        n_labels = labels.size(1)

        q = labels.view(B, n_labels, self.n_head, self.head_dim).transpose(1, 2)
        k = self.c_k(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = self.c_v(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)

        attn_mask = None
        if attention_mask is not None:
            attn_mask = attention_mask.bool().unsqueeze(1).unsqueeze(2)  # BUG

        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)
        y = y.transpose(1, 2).contiguous().view(B, n_labels, C)
        return self.c_proj(y)


class TextEmbedder(nn.Module):
    def __init__(self, vocab_size, embedding_dim, label_attention_config=None):
        super().__init__()
        self.embedding_layer = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.label_attention = LabelAttentionClassifier(embedding_dim, label_attention_config)

    def forward(self, input_ids, attention_mask):
        token_embeddings = self.embedding_layer(input_ids)
        return self.label_attention(token_embeddings, attention_mask=attention_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    embedder = TextEmbedder(30, 16, LabelAttentionConfig(n_head=2, num_classes=3)).eval()
    input_ids = torch.tensor([[5, 6, 7, 8, 0, 0], [9, 4, 3, 0, 0, 0]])
    attention_mask = (input_ids != 0).long()
    with torch.no_grad():
        out = embedder(input_ids, attention_mask)
        noisy = input_ids.masked_fill(attention_mask == 0, 17)
        out2 = embedder(noisy, attention_mask)
    print(f"label embeddings change when padding ids change: {(out - out2).abs().max().item():.4f}")
