import torch
import torch.nn as nn

from .attention import ATTN_FUNCTIONS


class CrossEncoderLayer(nn.Module):
    def __init__(self, dim, heads, attn_implementation="sdpa"):
        super().__init__()
        self.heads, self.attn_implementation = heads, attn_implementation
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        ctx = ATTN_FUNCTIONS[self.attn_implementation](q, k, v, attention_mask)  # expect: ML203
        x = self.ln1(x + self.o(ctx.transpose(1, 2).reshape(b, n, d)))
        return self.ln2(x + self.ff(x))


class CrossEncoderRanker(nn.Module):
    def __init__(self, vocab=5000, dim=64, heads=4, depth=2, attn_implementation="sdpa"):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(256, dim)
        self.layers = nn.ModuleList(CrossEncoderLayer(dim, heads, attn_implementation) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, input_ids, attention_mask, labels=None):
        x = self.embed(input_ids) + self.pos.weight[: input_ids.size(1)]
        ext = attention_mask[:, None, None, :]
        for layer in self.layers:
            x = layer(x, ext)
        logits = self.score(x[:, 0]).squeeze(-1)
        if labels is None:
            return logits
        return nn.functional.binary_cross_entropy_with_logits(logits, labels)


if __name__ == "__main__":
    from .collate import collate_pairs

    batch = collate_pairs([{"query": [5, 6], "passage": [7, 8, 9], "label": 1},
                           {"query": [10], "passage": [11, 12, 13, 14, 15], "label": 0}])
    print(CrossEncoderRanker()(**batch).item())
