import torch
from torch import nn


class ReviewClassifier(nn.Module):
    def __init__(self, vocab=1000, hidden=64, heads=4, layers=2, num_labels=5):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden, padding_idx=0)
        self.pos = nn.Embedding(128, hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 2 * hidden, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.pool_attn = nn.MultiheadAttention(hidden, heads, batch_first=True)
        self.query = nn.Parameter(torch.randn(1, 1, hidden) * 0.02)
        self.cls = nn.Linear(hidden, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos.weight[: input_ids.size(1)]
        x = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        q = self.query.expand(input_ids.size(0), -1, -1)
        pooled, _ = self.pool_attn(q, x, x, key_padding_mask=~attention_mask.bool())
        return self.cls(pooled.squeeze(1))


if __name__ == "__main__":
    batch = {"input_ids": torch.tensor([[101, 7, 8, 102, 0, 0], [101, 4, 5, 6, 7, 102]])}
    batch["attention_mask"] = (batch["input_ids"] != 0).long()
    print(ReviewClassifier()(**batch).shape)
