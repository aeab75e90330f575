# EXPECT: bug the cached causal buffer is torch.tril(ones, diagonal=1), so after masked_fill(bias == 0, -inf) every position can also see the next token (causal mask off by one) in a next-token model.
"""Imitates Karpathy's minGPT (mingpt/model.py CausalSelfAttention): the causal
mask is registered once as a buffer "bias" and applied with
att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf'))."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size, attn_pdrop, resid_pdrop):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_dropout = nn.Dropout(attn_pdrop)
        self.resid_dropout = nn.Dropout(resid_pdrop)
        self.register_buffer(
            "bias", torch.tril(torch.ones(block_size, block_size), diagonal=1).view(1, 1, block_size, block_size)
        )
        self.n_head = n_head
        self.n_embd = n_embd

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))  # BUG-SITE
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size, pdrop):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size, pdrop, pdrop)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.ModuleDict(dict(c_fc=nn.Linear(n_embd, 4 * n_embd), c_proj=nn.Linear(4 * n_embd, n_embd), dropout=nn.Dropout(pdrop)))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        m = self.mlp
        return x + m.dropout(m.c_proj(F.gelu(m.c_fc(self.ln_2(x)))))


class GPT(nn.Module):
    def __init__(self, vocab_size=24, block_size=10, n_layer=2, n_head=2, n_embd=24, pdrop=0.1):
        super().__init__()
        self.block_size = block_size
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            drop=nn.Dropout(pdrop),
            h=nn.ModuleList([Block(n_embd, n_head, block_size, pdrop) for _ in range(n_layer)]),
            ln_f=nn.LayerNorm(n_embd),
        ))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.size(1) <= self.block_size else idx[:, -self.block_size:]
            logits, _ = self(idx_cond)
            idx_next = logits[:, -1, :].argmax(-1, keepdim=True)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


class SortDataset(torch.utils.data.Dataset):
    """minGPT demo task: sort a list of digits."""

    def __init__(self, n=16, length=5, num_digits=3, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.items = [torch.randint(num_digits, size=(length,), generator=g) for _ in range(n)]
        self.length = length

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        inp = self.items[i]
        sol = torch.sort(inp)[0]
        cat = torch.cat((inp, sol), dim=0)
        x = cat[:-1].clone()
        y = cat[1:].clone()
        y[: self.length - 1] = -1
        return x, y


def run():
    torch.manual_seed(0)
    model = GPT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    ds = SortDataset()
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=False)
    x, y = next(iter(loader))

    model.train()
    _, loss = model(x, y)
    model.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        prompts = torch.stack([ds[i][0][:5] for i in range(8, 11)])
        out = model.generate(prompts, max_new_tokens=5)
        logits, _ = model(out[:, :-1])
    return [loss.detach(), *grads, out, logits]
