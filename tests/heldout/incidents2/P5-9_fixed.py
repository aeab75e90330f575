from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F


class OpenLMBlock(nn.Module):
    def __init__(self, dim: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, attention_mask=None):
        B, T, C = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal & attention_mask.bool()[:, None, None, :])
        return x + self.out(y.transpose(1, 2).reshape(B, T, C))


class OpenLM(nn.Module):
    def __init__(self, vocab: int = 50432, dim: int = 512, n_heads: int = 8, n_layers: int = 4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList([OpenLMBlock(dim, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None):
        x = self.tok(input_ids)
        for blk in self.blocks:
            x = blk(x, attention_mask)
        return self.head(x)


def left_pad(prompts: List[List[int]], pad_id: int):
    L = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_id] * (L - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (L - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask


@torch.no_grad()
def generate(model: OpenLM, prompts: List[List[int]], max_new_tokens: int = 16, pad_id: int = 0):
    input_ids, attention_mask = left_pad(prompts, pad_id)
    for _ in range(max_new_tokens):
        logits = model(input_ids, attention_mask=attention_mask)
        next_tok = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_tok], dim=1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
    return input_ids


if __name__ == "__main__":
    model = OpenLM(vocab=1000).eval()
    print(generate(model, [[5, 17, 99, 3], [42, 7]], max_new_tokens=4))
