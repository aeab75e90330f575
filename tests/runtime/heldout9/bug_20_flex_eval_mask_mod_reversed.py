# EXPECT: bug the eval-time flex_attention path builds its BlockMask from a sliding-window mask_mod whose causal term is written kv_idx >= q_idx, so inference attends to future tokens while training (dense SDPA fallback) was causal.
"""Imitates attention-gym / torchtune style FlexAttention usage: a mask_mod
(sliding-window causal) turned into a BlockMask with create_block_mask for the
no-grad path, and a dense boolean fallback for training on CPU where flex
attention has no backward."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW = 4


def generate_sliding_window(window_size):
    def sliding_window_causal(b, h, q_idx, kv_idx):
        causal_mask = kv_idx >= q_idx
        window_mask = q_idx - kv_idx < window_size
        return causal_mask & window_mask

    sliding_window_causal.__name__ = f"sliding_window_{window_size}"
    return sliding_window_causal


def dense_sliding_window(T):
    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]
    return (j <= i) & (i - j < WINDOW)


class Attention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.wqkv = nn.Linear(d, 3 * d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def forward(self, x, block_mask=None):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        if torch.is_grad_enabled():
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=dense_sliding_window(T), dropout_p=self.dropout if self.training else 0.0)
        else:
            y = flex_attention(q, k, v, block_mask=block_mask)  # BUG-SITE
        return self.wo(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.n1 = nn.RMSNorm(d)
        self.attn = Attention(d, heads, dropout)
        self.n2 = nn.RMSNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 3 * d), nn.SiLU(), nn.Linear(3 * d, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, block_mask=None):
        x = x + self.drop(self.attn(self.n1(x), block_mask))
        return x + self.drop(self.mlp(self.n2(x)))


class Transformer(nn.Module):
    def __init__(self, vocab=32, d=32, heads=4, layers=2, max_len=16, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([Block(d, heads, dropout) for _ in range(layers)])
        self.norm = nn.RMSNorm(d)
        self.output = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        T = ids.size(1)
        block_mask = None
        if not torch.is_grad_enabled():
            block_mask = create_block_mask(generate_sliding_window(WINDOW), B=None, H=None, Q_LEN=T, KV_LEN=T, device="cpu")
        x = self.tok(ids) + self.pos(torch.arange(T))
        for layer in self.layers:
            x = layer(x, block_mask)
        return self.output(self.norm(x))


def run():
    torch.manual_seed(0)
    model = Transformer()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(47)
    data = torch.randint(0, 32, (4, 13), generator=g)

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 32), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        val = torch.randint(0, 32, (2, 13), generator=g)
        val_logits = model(val[:, :-1])
        val_loss = F.cross_entropy(val_logits.reshape(-1, 32), val[:, 1:].reshape(-1))
    return [loss.detach(), *grads, val_loss, val_logits]
