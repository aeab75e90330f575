"""Generation loops that pass the mask along, and one with no mask to pass (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, attention_mask=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            keep = torch.ones(T, T, dtype=torch.bool, device=x.device).tril() & attention_mask.bool()[:, None, None, :]
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return x + y.transpose(1, 2).reshape(B, T, C)


class TinyLM(nn.Module):
    def __init__(self, vocab=1000, dim=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.block = Block(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, input_ids, attention_mask=None):
        return self.head(self.block(self.emb(input_ids), attention_mask))


def left_pad(prompts, pad_id=0):
    longest = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_id] * (longest - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (longest - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask


@torch.no_grad()
def greedy(model: TinyLM, prompts, steps=8):
    input_ids, attention_mask = left_pad(prompts)
    for _ in range(steps):
        logits = model(input_ids, attention_mask)
        input_ids = torch.cat([input_ids, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones(attention_mask.size(0), 1)], dim=1)
    return input_ids


@torch.no_grad()
def sample_one(model: TinyLM, prompt, steps=8):
    input_ids = torch.tensor([prompt])
    for _ in range(steps):
        input_ids = torch.cat([input_ids, model(input_ids)[:, -1:].argmax(-1)], dim=1)
    return input_ids
