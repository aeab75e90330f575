import torch
import torch.nn as nn
import torch.nn.functional as F


class TextEmbedder(nn.Module):
    def __init__(self, vocab_size, embedding_dim, padding_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=padding_idx)
        self.position = nn.Parameter(torch.randn(64, embedding_dim) * 0.02)

    def forward(self, input_ids):
        return self.embedding(input_ids) + self.position[: input_ids.size(1)]


class LabelAttentionClassifier(nn.Module):
    def __init__(self, embedding_dim, num_classes, n_head=2):
        super().__init__()
        self.n_head = n_head
        self.head_dim = embedding_dim // n_head
        self.num_classes = num_classes
        self.label_queries = nn.Parameter(torch.randn(num_classes, embedding_dim))
        self.k_proj = nn.Linear(embedding_dim, embedding_dim)
        self.v_proj = nn.Linear(embedding_dim, embedding_dim)
        self.scorer = nn.Linear(embedding_dim, 1)

    def _split(self, t):
        b, n, _ = t.shape
        return t.view(b, n, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings, attention_mask=None):
        batch_size = token_embeddings.size(0)
        q = self._split(self.label_queries.unsqueeze(0).expand(batch_size, -1, -1))
        k = self._split(self.k_proj(token_embeddings))
        v = self._split(self.v_proj(token_embeddings))
        attn_mask = None
        if attention_mask is not None:
            attn_mask = (attention_mask == 0)[:, None, None, :]  # BUG
        label_repr = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        label_repr = label_repr.transpose(1, 2).reshape(batch_size, self.num_classes, -1)
        return self.scorer(label_repr).squeeze(-1)


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size=100, embedding_dim=32, num_classes=5):
        super().__init__()
        self.text_embedder = TextEmbedder(vocab_size, embedding_dim)
        self.label_attention = LabelAttentionClassifier(embedding_dim, num_classes)

    def forward(self, input_ids, attention_mask):
        return self.label_attention(self.text_embedder(input_ids), attention_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextClassificationModel().eval()
    input_ids = torch.randint(1, 100, (3, 10))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[0, 6:] = 0
    attention_mask[2, 3:] = 0
    input_ids = input_ids.masked_fill(attention_mask == 0, 0)
    other = input_ids.masked_fill(attention_mask == 0, 7)
    with torch.no_grad():
        d = (model(input_ids, attention_mask) - model(other, attention_mask)).abs().max().item()
    print(f"logit change when only padded positions change: {d:.4f}")
