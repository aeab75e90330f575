"""Language models whose logits reuse the token embedding (a tied head: `h @ self.wte.weight.t()`,
`F.linear(h, self.tok.weight)`), trained on shifted targets, whose causal keep mask is joined to
the tokenizer's attention_mask with `|` instead of `&`: every query sees every real token."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, keep):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML401
        return x + y.transpose(1, 2).reshape(B, T, C)


class TiedLM(nn.Module):
    def __init__(self, vocab=60, d=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.block = Block(d)

    def forward(self, input_ids, attention_mask):
        T = input_ids.size(1)
        keep = torch.tril(torch.ones(T, T, dtype=torch.bool))[None, None] | attention_mask.bool()[:, None, None, :]
        h = self.block(self.tok(input_ids), keep)
        return F.linear(h, self.tok.weight)


def train_step(model, input_ids, attention_mask):
    logits = model(input_ids[:, :-1], attention_mask[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), input_ids[:, 1:].reshape(-1))
