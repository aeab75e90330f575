"""Masked-token denoiser for protein fragments (bidirectional by design).

The same block supports a causal mode for a left-to-right variant; the
denoising objective below reconstructs masked residues from both sides.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_ID, PAD_ID = 1, 0


class Block(nn.Module):
    def __init__(self, d, heads, causal=False):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = keep[:, None, None, :]
        if self.causal:
            mask = mask & torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class SpanDenoiser(nn.Module):
    def __init__(self, vocab=25, d=64, heads=4, depth=2, causal=False):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD_ID)
        self.pos = nn.Embedding(1024, d)
        self.blocks = nn.ModuleList(Block(d, heads, causal) for _ in range(depth))
        self.out = nn.Linear(d, vocab)

    def forward(self, ids):
        keep = ids.ne(PAD_ID)
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for blk in self.blocks:
            x = blk(x, keep)
        return self.out(x)


def corrupt(ids, rate=0.15, generator=None):
    noise = torch.rand(ids.shape, generator=generator, device=ids.device)
    chosen = (noise < rate) & ids.ne(PAD_ID)
    labels = ids.masked_fill(~chosen, -100)
    return ids.masked_fill(chosen, MASK_ID), labels


def denoise_step(model, optimizer, ids):
    model.train()
    inputs, labels = corrupt(ids)
    logits = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def train(fragments, steps=100):
    model = SpanDenoiser(causal=False)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for step in range(steps):
        batch = fragments[torch.randint(0, fragments.size(0), (8,))]
        denoise_step(model, opt, batch)
    return model
