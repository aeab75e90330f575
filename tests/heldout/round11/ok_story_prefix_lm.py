"""Prefix-LM story generator: the prompt (genre + premise) is bidirectional, the story is causal."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prefix_lm_keep(prefix_len, lengths, T):
    i = torch.arange(T)
    causal = i[:, None] >= i[None, :]
    in_prefix = (i[None, :] < prefix_len[:, None])
    both_prefix = in_prefix[:, :, None] & in_prefix[:, None, :]
    real = i[None, :] < lengths[:, None]
    keep = (causal[None] | both_prefix) & real[:, None, :]
    return keep.unsqueeze(1)


class StoryBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.ln = nn.LayerNorm(d)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        x = x + self.o(a.transpose(1, 2).reshape(B, T, D))
        return x + self.ff(x)


class StoryLM(nn.Module):
    def __init__(self, vocab=16000, d=192, h=6, depth=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(StoryBlock(d, h) for _ in range(depth))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, prefix_len, lengths):
        keep = prefix_lm_keep(prefix_len, lengths, ids.size(1)).to(ids.device)
        x = self.emb(ids)
        for blk in self.blocks:
            x = blk(x, keep)
        return self.head(x)


if __name__ == "__main__":
    ids = torch.randint(0, 16000, (3, 64))
    prefix_len = torch.tensor([12, 20, 8])
    lengths = torch.tensor([64, 50, 30])
    logits = StoryLM()(ids, prefix_len, lengths)
    print(logits.shape, torch.isfinite(logits).all().item())
