"""Batched greedy generation for an open LM checkpoint (left-padded prompts)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal & attention_mask[:, None, None, :].bool())
        return x + self.proj(y.transpose(1, 2).reshape(B, T, D))


class OpenLM(nn.Module):
    def __init__(self, vocab=90, dim=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(layers)])
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok(input_ids)
        for b in self.blocks:
            h = b(h, attention_mask)
        return self.head(h)


def left_pad(prompts, pad_id=0):
    T = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), T), pad_id)
    mask = torch.zeros(len(prompts), T, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, T - len(p):] = torch.tensor(p)
        mask[i, T - len(p):] = 1
    return ids, mask


@torch.no_grad()
def generate(model, prompts, max_new_tokens=4):
    input_ids, attention_mask = left_pad(prompts)
    for _ in range(max_new_tokens):
        logits = model(input_ids)  # BUG
        next_tok = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_tok], dim=1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OpenLM().eval()
    print(generate(model, [[5, 6, 7, 8, 9], [10, 11]]))
