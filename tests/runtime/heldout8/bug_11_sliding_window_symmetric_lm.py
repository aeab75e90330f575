# EXPECT: bug sliding-window mask for an autoregressive LM built as |i - j| < window (symmetric), so each token also sees the next window-1 future tokens under a next-token loss (SDPA)
"""Mistral-style sliding-window-attention LM (local attention to the last
`window` tokens), SDPA with an explicit boolean mask (True = may attend).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sliding_window_mask(seq_len, window, device=None):
    idx = torch.arange(seq_len, device=device)
    dist = idx[:, None] - idx[None, :]
    return dist.abs() < window


class SWAttention(nn.Module):
    def __init__(self, dim, n_heads, window, dropout):
        super().__init__()
        self.n_heads = n_heads
        self.window = window
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.wv = nn.Linear(dim, dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.dropout = dropout

    def forward(self, x):
        B, T, C = x.shape
        q = self.wq(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        k = self.wk(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        v = self.wv(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        mask = sliding_window_mask(T, self.window, x.device)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)  # BUG-SITE
        return self.wo(y.transpose(1, 2).reshape(B, T, C))


class TransformerBlock(nn.Module):
    def __init__(self, dim, n_heads, window, dropout):
        super().__init__()
        self.attention_norm = nn.RMSNorm(dim)
        self.attention = SWAttention(dim, n_heads, window, dropout)
        self.ffn_norm = nn.RMSNorm(dim)
        self.w1 = nn.Linear(dim, 2 * dim, bias=False)
        self.w2 = nn.Linear(2 * dim, dim, bias=False)
        self.w3 = nn.Linear(dim, 2 * dim, bias=False)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        x = x + self.drop(self.attention(self.attention_norm(x)))
        h = self.ffn_norm(x)
        return x + self.drop(self.w2(F.silu(self.w1(h)) * self.w3(h)))


class SWTransformer(nn.Module):
    def __init__(self, vocab_size=64, dim=32, n_heads=4, n_layers=2, window=4, max_len=32, dropout=0.1):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.pos_embeddings = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList([TransformerBlock(dim, n_heads, window, dropout) for _ in range(n_layers)])
        self.norm = nn.RMSNorm(dim)
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, tokens):
        h = self.tok_embeddings(tokens) + self.pos_embeddings(torch.arange(tokens.size(1)))
        for layer in self.layers:
            h = layer(h)
        return self.output(self.norm(h))


def run():
    torch.manual_seed(0)
    model = SWTransformer()
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
