"""Cross-attention pooling: `(1 - attention_mask).bool()` is the padding mask MHA expects."""
import torch
import torch.nn as nn


class QueryPool(nn.Module):
    def __init__(self, dim=32, heads=4, n_queries=2):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(1, n_queries, dim))
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, hidden, attention_mask):
        key_padding_mask = (1 - attention_mask).bool()
        q = self.queries.expand(hidden.size(0), -1, -1)
        out, _ = self.mha(q, hidden, hidden, key_padding_mask=key_padding_mask)
        return out.flatten(1)


def encode_batch(backbone, pool, enc):
    """enc: tokenizer output with integer `attention_mask` (1 = real token)."""
    hidden = backbone(enc["input_ids"])
    return pool(hidden, enc["attention_mask"])


if __name__ == "__main__":
    torch.manual_seed(0)
    pool = QueryPool()
    h = torch.randn(2, 5, 32)
    am = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    assert torch.allclose(pool(h, am)[0], pool(h[:1, :3], am[:1, :3])[0], atol=1e-5)
    print("pooling ok")
