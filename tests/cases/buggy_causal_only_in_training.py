"""A language model whose causal mask depends on the module's mode: causal in training, and
bidirectional in eval, where it is scored and sampled (round18b's session recommender; variants)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, max_len):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.register_buffer("tri", torch.tril(torch.ones(max_len, max_len)).view(1, 1, max_len, max_len))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (k.size(-1) ** -0.5)
        if self.training:
            att = att.masked_fill(self.tri[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)  # expect: ML401
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return x + self.proj(y)


class TinyGPT(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, depth=2, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.Sequential(*[Block(d, heads, max_len) for _ in range(depth)])
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        h = self.tok(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        return self.head(self.blocks(h))

    @torch.no_grad()
    def generate(self, idx, steps):
        for _ in range(steps):
            nxt = self(idx)[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


class Composer(nn.Module):
    """Next-note prediction with nn.TransformerEncoder; the mask is built only when training."""

    def __init__(self, notes=90, d=32):
        super().__init__()
        self.emb = nn.Embedding(notes, d)
        layer = nn.TransformerEncoderLayer(d, 4, 64, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.out = nn.Linear(d, notes)

    def forward(self, notes):
        T = notes.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(T) if self.training else None
        return self.out(self.enc(self.emb(notes), mask=mask))  # expect: ML401


def train_and_sample():
    model = TinyGPT()
    data = torch.randint(0, 64, (8, 17))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 64), data[:, 1:].reshape(-1))
    loss.backward()
    opt.step()
    model.eval()
    return model.generate(data[:, :4], 8)


def compose():
    model = Composer()
    song = torch.randint(0, 90, (4, 24))
    loss = F.cross_entropy(model(song[:, :-1]).transpose(1, 2), song[:, 1:])
    loss.backward()
    model.eval()
    with torch.no_grad():
        return model(song[:, :8]).argmax(-1)
