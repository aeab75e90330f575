"""Text classifier with a label-attention head, in the style of InseeFrLab/torchTextClassifiers:
one learned query per class attends over the token embeddings of a document."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 500
    embedding_dim: int = 48
    num_classes: int = 5
    n_head: int = 4
    padding_idx: int = 0


class LabelAttention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = config.embedding_dim // config.n_head
        self.label_queries = nn.Embedding(config.num_classes, config.embedding_dim)
        self.k_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.v_proj = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.out_proj = nn.Linear(config.embedding_dim, config.embedding_dim)

    def _split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings, attention_mask):
        batch_size = token_embeddings.size(0)
        queries = self.label_queries.weight.unsqueeze(0).expand(batch_size, -1, -1)
        q = self._split(queries)
        k = self._split(self.k_proj(token_embeddings))
        v = self._split(self.v_proj(token_embeddings))
        attn_mask = (attention_mask == 0).unsqueeze(1).unsqueeze(2)  # BUG
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)  # BUG
        y = y.transpose(1, 2).reshape(batch_size, -1, self.n_head * self.head_dim)
        return self.out_proj(y)


class TextClassificationModel(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_dim, padding_idx=config.padding_idx)
        self.label_attention = LabelAttention(config)
        self.classifier = nn.Linear(config.embedding_dim, 1)

    def forward(self, input_ids, attention_mask):
        emb = self.embedding(input_ids)
        label_repr = self.label_attention(emb, attention_mask)
        return self.classifier(label_repr).squeeze(-1)


def collate(batch, padding_idx=0):
    max_len = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), max_len), padding_idx, dtype=torch.long)
    attention_mask = torch.zeros(len(batch), max_len, dtype=torch.long)
    for i, (ids, _) in enumerate(batch):
        input_ids[i, :len(ids)] = torch.tensor(ids)
        attention_mask[i, :len(ids)] = 1
    labels = torch.tensor([label for _, label in batch])
    return input_ids, attention_mask, labels


if __name__ == "__main__":
    torch.manual_seed(0)
    config = ModelConfig()
    model = TextClassificationModel(config)
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = [([5, 8, 13, 21], 1), ([3, 4, 99, 100, 101, 7, 9], 4), ([42, 17], 0)]
    input_ids, attention_mask, labels = collate(batch)
    logits = model(input_ids, attention_mask)
    loss = F.cross_entropy(logits, labels)
    optim.zero_grad()
    loss.backward()
    optim.step()
    print("loss", loss.item())
