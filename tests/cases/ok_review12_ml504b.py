"""Correct causal LM trained on right-padded batches: the padding mask is accepted by the block
(interface) but not needed (causal + right padding, loss ignores pads). The attention takes an
optional ALiBi bias under an arbitrary name."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, alibi=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=alibi, is_causal=alibi is None)
        return y.transpose(1, 2).reshape(B, T, C)


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = CausalSelfAttention(d, h)

    def forward(self, x, padding_mask=None):
        return x + self.attn(x)


class TinyGPT(nn.Module):
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.block = Block(d, h)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, targets=None):
        pad = ids == 0
        x = self.block(self.tok(ids), padding_mask=pad)
        logits = self.head(x)
        if targets is None:
            return logits
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=0)


class Scaled(nn.Module):
    """callee with a non-mask None parameter passed to SDPA (scale)."""
    def __init__(self, d, h):
        super().__init__()
        self.h = h

    def forward(self, x, temperature=None):
        B, T, C = x.shape
        q = x.view(B, T, self.h, -1).transpose(1, 2)
        return F.scaled_dot_product_attention(q, q, q, scale=temperature, is_causal=True)


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 0]])
    print(TinyGPT()(ids, ids).item())
