import torch
import torch.nn as nn


class VisualizableCausalAttention(nn.Module):
    def __init__(self, embed_dim: int = 128, num_heads: int = 4):
        super().__init__()
        self.mha = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x: torch.Tensor):
        h = self.norm(x)
        out, weights = self.mha(
            h, h, h,
            need_weights=True,
            average_attn_weights=False,
            is_causal=True,  # BUG: causal hint without attn_mask, ignored on the need_weights path
        )
        return x + out, weights


class SmallDecoder(nn.Module):
    def __init__(self, vocab: int = 1000, dim: int = 128, depth: int = 3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList([VisualizableCausalAttention(dim) for _ in range(depth)])
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids: torch.Tensor):
        x = self.emb(ids)
        maps = []
        for blk in self.blocks:
            x, w = blk(x)
            maps.append(w)
        return self.out(x), maps


if __name__ == "__main__":
    model = SmallDecoder()
    ids = torch.randint(0, 1000, (2, 10))
    logits, maps = model(ids)
    # upper triangle should be zero for a causal model
    print(torch.triu(maps[0][0, 0], 1).abs().sum())
