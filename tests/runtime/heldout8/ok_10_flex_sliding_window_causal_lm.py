# EXPECT: clean
"""Sliding-window causal LM written for FlexAttention (attention-gym style
mask_mod: causal AND within the window). FlexAttention has no CPU backward,
so the training step materialises the same mask_mod with create_mask() and
uses SDPA; inference uses flex_attention with a BlockMask.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention


def generate_sliding_window(window_size):
    def sliding_window_causal(b, h, q_idx, kv_idx):
        causal_mask = q_idx >= kv_idx
        window_mask = q_idx - kv_idx < window_size
        return causal_mask & window_mask

    return sliding_window_causal


class Attention(nn.Module):
    def __init__(self, dim, n_heads, dropout):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.dropout = dropout

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.n_heads, C // self.n_heads).permute(2, 0, 3, 1, 4)
        if isinstance(mask, torch.Tensor):
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        else:
            y = flex_attention(q, k, v, block_mask=mask)
        return self.wo(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, dim, n_heads, dropout):
        super().__init__()
        self.norm1 = nn.RMSNorm(dim)
        self.attn = Attention(dim, n_heads, dropout)
        self.norm2 = nn.RMSNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 3 * dim, bias=False), nn.SiLU(), nn.Linear(3 * dim, dim, bias=False))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        x = x + self.drop(self.attn(self.norm1(x), mask))
        return x + self.drop(self.mlp(self.norm2(x)))


class SWALM(nn.Module):
    def __init__(self, vocab=64, dim=32, n_heads=4, n_layers=2, max_len=32, window=4, dropout=0.1):
        super().__init__()
        self.mask_mod = generate_sliding_window(window)
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList([Block(dim, n_heads, dropout) for _ in range(n_layers)])
        self.norm = nn.RMSNorm(dim)
        self.out = nn.Linear(dim, vocab, bias=False)

    def forward(self, tokens):
        T = tokens.size(1)
        if torch.is_grad_enabled():
            mask = create_mask(self.mask_mod, None, None, T, T, device="cpu")
        else:
            mask = create_block_mask(self.mask_mod, None, None, T, T, device="cpu")
        x = self.tok(tokens) + self.pos(torch.arange(T))
        for blk in self.blocks:
            x = blk(x, mask)
        return self.out(self.norm(x))


def run():
    torch.manual_seed(0)
    model = SWALM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    tokens = torch.randint(0, 64, (3, 17))
    inputs, targets = tokens[:, :-1], tokens[:, 1:]

    model.train()
    logits = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, 64), targets.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(inputs)
        eval_loss = F.cross_entropy(eval_logits.reshape(-1, 64), targets.reshape(-1))
    return [loss.detach(), *grads, eval_logits, eval_loss]
