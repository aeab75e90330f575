"""Next-token model for shell command history (a tiny GPT on shell tokens).

Sessions are right-padded.  With right padding a causal mask alone is
enough: a real token never sees a padding position (all of them come later),
and the loss ignores the padded targets, so no separate padding mask is needed.
"""
import torch
import torch.nn.functional as F
from torch import nn

TOKENS = ["<pad>", "<s>", "git", "status", "add", ".", "commit", "-m", "push", "ls", "-la", "cd", "..",
          "cat", "grep", "-r", "TODO", "make", "test", "docker", "ps", "&&", "|", "vim", "README.md"]
PAD, BOS = 0, 1


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=True,
                                           dropout_p=self.dropout if self.training else 0.0)
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class ShellGPT(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, block_size=64):
        super().__init__()
        self.wte = nn.Embedding(len(TOKENS), dim)
        self.wpe = nn.Embedding(block_size, dim)
        self.h = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, len(TOKENS), bias=False)

    def forward(self, idx, targets=None):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1), device=idx.device))
        logits = self.lm_head(self.ln_f(self.h(x)))
        if targets is None:
            return logits
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=PAD)


def batchify(sessions):
    rows = [[BOS] + [TOKENS.index(w) for w in s.split()] for s in sessions]
    width = max(map(len, rows))
    ids = torch.full((len(rows), width), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
    return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = batchify(["git status && git add . && git commit -m", "ls -la | grep TODO", "make test"])
    model = ShellGPT()
    loss = model(ids[:, :-1], ids[:, 1:])
    loss.backward()
    with torch.no_grad():
        nxt = model.eval()(batchify(["git add ."]))[:, -1].argmax(-1)
    print("loss", round(loss.item(), 4), "suggestion:", TOKENS[nxt.item()])
