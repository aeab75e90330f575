"""Long-document classifier with local windows + global tokens (Longformer-like, dense implementation)."""
import torch
from torch import nn
from torch.nn import functional as F

NEG_INF = float("-inf")


def local_bias(seq_len, window, device=None):
    idx = torch.arange(seq_len, device=device)
    near = (idx[:, None] - idx[None, :]).abs() <= window
    return torch.zeros(seq_len, seq_len, device=device).masked_fill(~near, NEG_INF)


def global_bias(is_global):
    """is_global: (B, L) bool. Global tokens attend everywhere and are attended by everyone."""
    either = is_global[:, :, None] | is_global[:, None, :]
    return torch.zeros(either.shape, device=is_global.device).masked_fill(~either, NEG_INF)


def padding_bias(attention_mask):
    return torch.zeros(attention_mask.shape, device=attention_mask.device).masked_fill(
        attention_mask == 0, NEG_INF)[:, None, :]


class LongSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, bias):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).unbind(dim=2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias.unsqueeze(1))
        return self.out(y.transpose(1, 2).reshape(B, L, D))


class LongDocClassifier(nn.Module):
    def __init__(self, vocab=6000, dim=64, heads=4, layers=2, window=3, n_classes=5):
        super().__init__()
        self.window = window
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(1024, dim)
        self.attn = nn.ModuleList(LongSelfAttention(dim, heads) for _ in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                               nn.Linear(2 * dim, dim)) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, input_ids, attention_mask, global_attention_mask):
        L = input_ids.size(1)
        x = self.embed(input_ids) + self.pos(torch.arange(L, device=input_ids.device))
        allowed = torch.maximum(local_bias(L, self.window, x.device)[None],
                                global_bias(global_attention_mask.bool()))
        bias = torch.minimum(allowed, padding_bias(attention_mask))
        for attn, mlp, norm in zip(self.attn, self.mlp, self.norms):
            x = x + attn(norm(x), bias)
            x = x + mlp(x)
        return self.cls(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 6000, (2, 40))
    ids[1, 25:] = 0
    attention_mask = (ids != 0).long()
    global_mask = torch.zeros_like(ids)
    global_mask[:, 0] = 1                     # <s> token is global
    model = LongDocClassifier()
    logits = model(ids, attention_mask, global_mask)
    print(F.softmax(logits, -1).detach().round(decimals=3).tolist())
