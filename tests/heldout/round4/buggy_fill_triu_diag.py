"""Character-level LM on nn.MultiheadAttention (post-norm, seq-first)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def causal_bias(sz: int, device=None) -> torch.Tensor:
    """Float mask for MHA: -inf where a position must not be attended."""
    bias = torch.empty(sz, sz, device=device).fill_(float("-inf"))
    bias.triu_()
    return bias


class CharBlock(nn.Module):
    def __init__(self, d_model: int, nhead: int, dropout: float = 0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))
        self.norm2 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):                               # (T, B, E)
        h, _ = self.attn(
            x, x, x,
            attn_mask=causal_bias(x.size(0), x.device),  # expect: ML404
            need_weights=False,
        )
        x = self.norm1(x + self.drop(h))
        return self.norm2(x + self.drop(self.ff(x)))


class CharLM(nn.Module):
    def __init__(self, n_chars: int, d_model: int = 256, nhead: int = 4, n_layers: int = 4, ctx: int = 256):
        super().__init__()
        self.tok = nn.Embedding(n_chars, d_model)
        self.pos = nn.Embedding(ctx, d_model)
        self.blocks = nn.Sequential(*[CharBlock(d_model, nhead) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, n_chars)

    def forward(self, idx):                             # (T, B)
        pos = torch.arange(idx.size(0), device=idx.device)[:, None]
        x = self.tok(idx) + self.pos(pos)
        return self.head(self.blocks(x))


def get_batch(data: torch.Tensor, ctx: int, bs: int):
    ix = torch.randint(len(data) - ctx - 1, (bs,))
    x = torch.stack([data[i:i + ctx] for i in ix], dim=1)
    y = torch.stack([data[i + 1:i + ctx + 1] for i in ix], dim=1)
    return x, y


def train(text: str, steps: int = 1000):
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text])
    model = CharLM(len(chars))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for _ in range(steps):
        x, y = get_batch(data, 128, 32)
        loss = F.cross_entropy(model(x).view(-1, len(chars)), y.view(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model
