"""Text classifier with a label-attention head (one query per label attends over tokens)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelAttentionClassifier(nn.Module):
    def __init__(self, embedding_dim: int, num_classes: int, n_head: int = 4):
        super().__init__()
        self.n_head = n_head
        self.head_dim = embedding_dim // n_head
        self.label_embeds = nn.Parameter(torch.randn(num_classes, embedding_dim) * 0.02)
        self.k_proj = nn.Linear(embedding_dim, embedding_dim)
        self.v_proj = nn.Linear(embedding_dim, embedding_dim)
        self.out = nn.Linear(embedding_dim, 1)

    def forward(self, token_embeddings: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        B, T, C = token_embeddings.shape
        L = self.label_embeds.shape[0]
        q = self.label_embeds.unsqueeze(0).expand(B, -1, -1)
        q = q.view(B, L, self.n_head, self.head_dim).transpose(1, 2)
        k = self.k_proj(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = self.v_proj(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)

        attn_mask = None
        if attention_mask is not None:
            attn_mask = (attention_mask == 0).unsqueeze(1).unsqueeze(2)  # BUG
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=0.0)
        y = y.transpose(1, 2).contiguous().view(B, L, C)
        return self.out(y).squeeze(-1)


class TextClassifier(nn.Module):
    def __init__(self, vocab_size=500, embedding_dim=48, num_classes=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.label_attention = LabelAttentionClassifier(embedding_dim, num_classes)

    def forward(self, input_ids, attention_mask):
        return self.label_attention(self.embedding(input_ids), attention_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextClassifier()
    input_ids = torch.randint(1, 500, (3, 9))
    attention_mask = torch.ones_like(input_ids)
    input_ids[0, 6:] = 0
    attention_mask[0, 6:] = 0
    logits = model(input_ids, attention_mask)
    loss = F.binary_cross_entropy_with_logits(logits, torch.randint(0, 2, logits.shape).float())
    loss.backward()
    print(logits.shape)
