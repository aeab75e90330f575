from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def norm(x):
    return F.rms_norm(x, (x.size(-1),))


@dataclass
class LabelAttentionConfig:
    n_head: int
    num_classes: int
    embedding_dim: int


class LabelAttention(nn.Module):
    """
    Labels are queries that attend over token embeddings (keys and values) to produce label-specific embeddings.
    """

    def __init__(self, label_attention_config: LabelAttentionConfig):
        super().__init__()
        self.num_classes = label_attention_config.num_classes
        self.n_head = label_attention_config.n_head
        self.embedding_dim = label_attention_config.embedding_dim
        self.head_dim = self.embedding_dim // self.n_head

        if self.head_dim * self.n_head != self.embedding_dim:
            raise ValueError(
                f"embedding_dim ({self.embedding_dim}) must be divisible by n_head ({self.n_head})."
            )

        self.label_embeds = nn.Embedding(self.num_classes, self.embedding_dim)
        self.c_q = nn.Linear(self.embedding_dim, self.n_head * self.head_dim, bias=False)
        self.c_k = nn.Linear(self.embedding_dim, self.n_head * self.head_dim, bias=False)
        self.c_v = nn.Linear(self.embedding_dim, self.n_head * self.head_dim, bias=False)
        self.c_proj = nn.Linear(self.embedding_dim, self.embedding_dim, bias=False)

    def forward(self, token_embeddings, attention_mask: Optional[torch.Tensor] = None):
        """
        Args:
            token_embeddings (torch.Tensor), shape (batch, seq_len, d_model)
            attention_mask (torch.Tensor, optional), shape (batch, seq_len): 1 for real tokens, 0 for padding.
        """
        B, T, C = token_embeddings.size()

        label_indices = torch.arange(
            self.num_classes, dtype=torch.long, device=token_embeddings.device
        ).expand(B, -1)
        all_label_embeddings = norm(self.label_embeds(label_indices))

        q = self.c_q(all_label_embeddings).view(B, self.num_classes, self.n_head, self.head_dim)
        k = self.c_k(token_embeddings).view(B, T, self.n_head, self.head_dim)
        v = self.c_v(token_embeddings).view(B, T, self.n_head, self.head_dim)

        q, k = norm(q), norm(k)  # QK norm
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)

        attn_mask = None
        if attention_mask is not None:
            attn_mask = attention_mask == 0  # BUG
            # Expand to (B, 1, 1, T) for broadcasting across heads and queries
            attn_mask = attn_mask.unsqueeze(1).unsqueeze(2)  # (B, 1, 1, T)

        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)

        y = y.transpose(1, 2).contiguous().view(B, self.num_classes, -1)  # (bs, n_labels, d_model)
        y = self.c_proj(y)
        return {"sentence_embedding": y, "attention_matrix": None}


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = LabelAttention(LabelAttentionConfig(n_head=2, num_classes=3, embedding_dim=8)).eval()
    tokens = torch.randn(2, 6, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    other = tokens.clone()
    other[0, 4:] = torch.randn(2, 8)
    with torch.no_grad():
        a = layer(tokens, attention_mask)["sentence_embedding"]
        b = layer(other, attention_mask)["sentence_embedding"]
    print(f"label embedding change when only padding tokens change: {(a - b).abs().max().item():.4f}")
