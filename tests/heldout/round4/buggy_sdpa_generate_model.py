# Minimal SMILES generator: decoder-only transformer, sampled token by token.
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = list("^$#()+-=123456789BCFHILNOPS[]cnos@/\\")
STOI = {c: i for i, c in enumerate(VOCAB)}
BOS, EOS = STOI["^"], STOI["$"]


class SelfAttention(nn.Module):
    def __init__(self, d, h, p=0.1):
        super().__init__()
        self.h, self.p = h, p
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.h, D // self.h).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0)  # expect: ML401
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class Model(nn.Module):
    def __init__(self, d=256, h=8, n=6, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(len(VOCAB), d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(SelfAttention(d, h) for _ in range(n))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
                                 for _ in range(n))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.head = nn.Linear(d, len(VOCAB))

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        for attn, mlp, ln in zip(self.attn, self.mlp, self.ln):
            x = x + attn(ln(x))
            x = x + mlp(x)
        return self.head(x)


@torch.no_grad()
def sample(model, n=16, max_len=100, temperature=0.9):
    model.eval()
    idx = torch.full((n, 1), BOS, dtype=torch.long)
    for _ in range(max_len - 1):
        logits = model(idx)[:, -1] / temperature
        nxt = torch.multinomial(F.softmax(logits, -1), 1)
        idx = torch.cat([idx, nxt], dim=1)
        if (idx == EOS).any(1).all():
            break
    return ["".join(VOCAB[i] for i in row[1:].tolist()).split("$")[0] for row in idx]


def train_step(model, batch, opt):
    # batch: (B, T) BOS ... EOS, padded with EOS
    logits = model(batch[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), batch[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()
