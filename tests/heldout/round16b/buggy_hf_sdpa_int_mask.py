import torch
from torch import nn
import torch.nn.functional as F


class DistilConfig:
    def __init__(self, vocab_size=30522, dim=64, n_heads=4, n_layers=2, max_position_embeddings=128, num_labels=2):
        self.vocab_size, self.dim, self.n_heads, self.n_layers = vocab_size, dim, n_heads, n_layers
        self.max_position_embeddings, self.num_labels = max_position_embeddings, num_labels


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.n_heads
        self.q_lin = nn.Linear(config.dim, config.dim)
        self.k_lin = nn.Linear(config.dim, config.dim)
        self.v_lin = nn.Linear(config.dim, config.dim)
        self.out_lin = nn.Linear(config.dim, config.dim)

    def forward(self, x, mask):
        bs, n, dim = x.shape
        shape = lambda t: t.view(bs, n, self.n_heads, dim // self.n_heads).transpose(1, 2)
        q, k, v = shape(self.q_lin(x)), shape(self.k_lin(x)), shape(self.v_lin(x))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out_lin(ctx.transpose(1, 2).reshape(bs, n, dim))


class TransformerBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = MultiHeadSelfAttention(config)
        self.sa_layer_norm = nn.LayerNorm(config.dim)
        self.ffn = nn.Sequential(nn.Linear(config.dim, 4 * config.dim), nn.GELU(), nn.Linear(4 * config.dim, config.dim))
        self.output_layer_norm = nn.LayerNorm(config.dim)

    def forward(self, x, attn_mask):
        x = self.sa_layer_norm(x + self.attention(x, attn_mask))
        return self.output_layer_norm(x + self.ffn(x))


class DistilForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.dim, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.dim)
        self.layer = nn.ModuleList(TransformerBlock(config) for _ in range(config.n_layers))
        self.pre_classifier = nn.Linear(config.dim, config.dim)
        self.classifier = nn.Linear(config.dim, config.num_labels)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        ext = attention_mask.unsqueeze(1).unsqueeze(2)
        for block in self.layer:
            x = block(x, ext)  # expect: ML203
        return self.classifier(torch.relu(self.pre_classifier(x[:, 0])))


if __name__ == "__main__":
    model = DistilForSequenceClassification(DistilConfig())
    batch = {"input_ids": torch.tensor([[101, 2023, 2003, 102, 0], [101, 7592, 2088, 999, 102]])}
    batch["attention_mask"] = (batch["input_ids"] != 0).long()
    print(model(**batch).shape)
