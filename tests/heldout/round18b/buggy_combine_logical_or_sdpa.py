"""Tiny code-completion model (left-to-right over BPE tokens of source files)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


class CodeAttention(nn.Module):
    def __init__(self, d_model, n_head, dropout=0.0):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(d_model, 3 * d_model)
        self.c_proj = nn.Linear(d_model, d_model)
        self.dropout = dropout

    def forward(self, x, pad):
        B, L, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, L, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, L, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, L, self.n_head, C // self.n_head).transpose(1, 2)
        future = torch.triu(torch.ones(L, L, dtype=torch.bool, device=x.device), diagonal=1)
        blocked = torch.logical_or(future, pad[:, None, None, :])
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=blocked, dropout_p=self.dropout if self.training else 0.0)  # BUG: block mask (future | pad) passed to SDPA where True = attend
        y = y.transpose(1, 2).contiguous().view(B, L, C)
        return self.c_proj(y)


class CodeBlock(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model)
        self.attn = CodeAttention(d_model, n_head)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, pad):
        x = x + self.attn(self.ln_1(x), pad)
        return x + self.mlp(self.ln_2(x))


class CodeCompleter(nn.Module):
    def __init__(self, vocab_size=500, d_model=48, n_head=4, n_layer=2, block_size=64):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, d_model)
        self.wpe = nn.Embedding(block_size, d_model)
        self.h = nn.ModuleList([CodeBlock(d_model, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx):
        pad = idx == PAD_ID
        pos = torch.arange(idx.size(1), device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for block in self.h:
            x = block(x, pad)
        return self.lm_head(self.ln_f(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodeCompleter()
    idx = torch.randint(1, 500, (3, 16))
    idx[1, 12:] = PAD_ID
    logits = model(idx)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 500), idx[:, 1:].reshape(-1), ignore_index=PAD_ID)
    print("loss", round(loss.item(), 5))
