"""Decoder with cross-attention to an optional text context, in the style of
lucidrains/x-transformers (`context_mask`, Attend with a flash path); some samples have no context."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attend(nn.Module):
    def __init__(self, flash=True):
        super().__init__()
        self.flash = flash

    def forward(self, q, k, v, mask=None):
        if mask is not None:
            mask = mask[:, None, None, :]
        if self.flash:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG
        else:
            sim = (q @ k.transpose(-1, -2)) * q.shape[-1] ** -0.5
            if mask is not None:
                sim = sim.masked_fill(~mask, float("-inf"))  # BUG
            out = sim.softmax(-1) @ v
        return out


class CrossAttention(nn.Module):
    def __init__(self, dim, heads=4, flash=False):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.attend = Attend(flash=flash)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, context, context_mask=None):
        b, n, d = x.shape
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = (t.view(b, context.shape[1], self.heads, -1).transpose(1, 2) for t in self.to_kv(context).chunk(2, -1))
        out = self.attend(q, k, v, mask=context_mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class ConditionedDecoder(nn.Module):
    def __init__(self, num_tokens=64, dim=32, flash=False):
        super().__init__()
        self.emb = nn.Embedding(num_tokens, dim)
        self.self_attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.cross = CrossAttention(dim, flash=flash)
        self.to_logits = nn.Linear(dim, num_tokens)

    def forward(self, x, context, context_mask):
        h = self.emb(x)
        causal = torch.ones(x.shape[1], x.shape[1], dtype=torch.bool).triu(1)
        h = h + self.self_attn(h, h, h, attn_mask=causal, need_weights=False)[0]
        h = h + self.cross(h, context, context_mask)
        return self.to_logits(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ConditionedDecoder(flash=False)
    seq = torch.randint(0, 64, (3, 9))
    context = torch.randn(3, 5, 32)
    context_mask = torch.tensor([[True] * 5, [True, True, False, False, False], [False] * 5])
    logits = model(seq[:, :-1], context, context_mask)
    loss = F.cross_entropy(logits.reshape(-1, 64), seq[:, 1:].reshape(-1))
    loss.backward()
    print("loss", loss.item())
