"""Dense retrieval dual encoder: query and passage towers share a transformer encoder,
mean-pooled embeddings are compared with a dot product."""
import torch
import torch.nn as nn


class Tower(nn.Module):
    def __init__(self, vocab=200, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    def forward(self, ids, attention_mask):
        pad = attention_mask == 0                      # True = padding
        h = self.encoder(self.emb(ids), pad)  # expect: ML501
        w = attention_mask.unsqueeze(-1).float()
        return (h * w).sum(1) / w.sum(1)


def collate(batch):
    L = max(len(x) for x in batch)
    ids = torch.zeros(len(batch), L, dtype=torch.long)
    mask = torch.zeros(len(batch), L, dtype=torch.long)
    for i, x in enumerate(batch):
        ids[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1
    return ids, mask


if __name__ == "__main__":
    torch.manual_seed(0)
    tower = Tower()
    queries = collate([[5, 17, 33], [8, 9, 10, 11, 12]])
    passages = collate([[1, 2, 3, 4, 5, 6, 7], [40, 41, 42]])
    try:
        scores = tower(*queries) @ tower(*passages).T
        print("ran", scores.shape)
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", str(e)[:100])
