import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelAttentionClassifier(nn.Module):
    """Each label owns a learnable query that attends over the token embeddings."""

    def __init__(self, embedding_dim: int, num_classes: int, n_head: int = 4):
        super().__init__()
        self.embedding_dim = embedding_dim
        self.num_classes = num_classes
        self.n_head = n_head
        self.head_dim = embedding_dim // n_head
        self.label_embeds = nn.Parameter(torch.randn(num_classes, embedding_dim) * 0.02)
        self.c_q = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_k = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_v = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_proj = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.out = nn.Linear(embedding_dim, 1)

    def forward(self, token_embeddings: torch.Tensor, attention_mask: torch.Tensor | None = None):
        B, T, C = token_embeddings.shape
        q = self.c_q(self.label_embeds).unsqueeze(0).expand(B, -1, -1)
        k = self.c_k(token_embeddings)
        v = self.c_v(token_embeddings)
        q = q.view(B, self.num_classes, self.n_head, self.head_dim).transpose(1, 2)
        k = k.view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = v.view(B, T, self.n_head, self.head_dim).transpose(1, 2)

        attn_mask = None
        if attention_mask is not None:
            attn_mask = attention_mask.bool()
            attn_mask = attn_mask[:, None, None, :]

        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)
        y = y.transpose(1, 2).contiguous().view(B, self.num_classes, C)
        y = self.c_proj(y)
        return self.out(y).squeeze(-1)


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size=100, embedding_dim=32, num_classes=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.label_attention = LabelAttentionClassifier(embedding_dim, num_classes)

    def forward(self, input_ids, attention_mask):
        return self.label_attention(self.embedding(input_ids), attention_mask)


if __name__ == "__main__":
    model = TextClassificationModel()
    input_ids = torch.randint(1, 100, (3, 9))
    attention_mask = torch.ones_like(input_ids)
    input_ids[0, 6:] = 0
    attention_mask[0, 6:] = 0
    print(model(input_ids, attention_mask).shape)
