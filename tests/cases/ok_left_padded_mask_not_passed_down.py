"""Near-misses of buggy_left_padded_mask_not_passed_down.py: the mask is handed down, or the
padding is on the right (a causal model may ignore it: the loss masks the rest)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            keep = attention_mask[:, None, None, :].bool() & torch.ones(t, t, dtype=torch.bool).tril()
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return y.transpose(1, 2).reshape(b, t, d)


class PositionsLM(nn.Module):
    def __init__(self, vocab=40, d=16, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([Attention(d) for _ in range(2)])
        self.out = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else torch.arange(input_ids.shape[1])
        h = self.tok(input_ids) + self.pos(pos)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return self.out(h)


class RightPaddedLM(PositionsLM):
    def forward(self, input_ids, attention_mask=None):
        h = self.tok(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        for layer in self.layers:
            h = h + layer(h)
        logits = self.out(h)
        return logits, attention_mask


def batched():
    a = PositionsLM().eval()
    b = RightPaddedLM().eval()
    prompts = torch.tensor([[0, 0, 0, 5, 9, 3], [7, 2, 8, 4, 6, 1]])
    train = torch.tensor([[5, 9, 3, 0, 0, 0], [7, 2, 8, 4, 6, 1]])
    return a(prompts, attention_mask=(prompts != 0).long()), b(train, attention_mask=(train != 0).long())
