"""Right padding under causal masking is harmless; left padding with its padding mask (silent)."""
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


@torch.no_grad()
def generate(model: TinyLM, prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts])
    attention_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    return model(input_ids, attention_mask)


@torch.no_grad()
def score(model: TinyLM, prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([p + [pad_id] * (width - len(p)) for p in prompts])
    return model(input_ids).log_softmax(-1)
