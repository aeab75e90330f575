"""Batched generation over prompts padded on the left (`[pad] * (L - len(p)) + p`): causal
masking alone lets every real token attend to the padding before it (P5-9, P7-7)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return x + y.transpose(1, 2).reshape(B, T, C)


class TinyLM(nn.Module):
    def __init__(self, vocab=1000, dim=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.block = Block(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, input_ids):
        return self.head(self.block(self.emb(input_ids)))


@torch.no_grad()
def generate(model: TinyLM, prompts, pad_id=0, steps=4):
    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts])
    for _ in range(steps):
        next_tok = model(input_ids)[:, -1].argmax(-1, keepdim=True)  # expect: ML505
        input_ids = torch.cat([input_ids, next_tok], dim=1)
    return input_ids
