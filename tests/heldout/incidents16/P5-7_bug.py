"""SFT loop for a tiny vision-language LM: image tokens + left-padded chat prompts.

Runs a couple of optimisation steps on synthetic data when executed.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
VOCAB, DIM, HEADS, N_IMG = 64, 32, 4, 4


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(DIM, 3 * DIM, bias=False)
        self.wo = nn.Linear(DIM, DIM, bias=False)
        self.norm1, self.norm2 = nn.LayerNorm(DIM), nn.LayerNorm(DIM)
        self.ffn = nn.Sequential(nn.Linear(DIM, 2 * DIM), nn.SiLU(), nn.Linear(2 * DIM, DIM))

    def forward(self, x, attn_mask=None):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, HEADS, DIM // HEADS).permute(2, 0, 3, 1, 4)
        causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
        mask = causal if attn_mask is None else causal & attn_mask.bool()[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.wo(out.transpose(1, 2).reshape(b, t, DIM))
        return x + self.ffn(self.norm2(x))


class MiniVLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, DIM)
        self.vision_proj = nn.Linear(16, DIM)
        self.layers = nn.ModuleList([Block() for _ in range(2)])
        self.lm_head = nn.Linear(DIM, VOCAB, bias=False)

    def forward(self, input_ids, pixel_feats, attention_mask=None):
        img = self.vision_proj(pixel_feats)  # (b, N_IMG, DIM) image tokens go first
        h = torch.cat([img, self.tok(input_ids)], dim=1)
        if attention_mask is not None:
            attention_mask = torch.cat([attention_mask.new_ones(input_ids.size(0), N_IMG), attention_mask], dim=1)
        for layer in self.layers:
            h = layer(h, attention_mask)
        return self.lm_head(h[:, N_IMG:])


def make_batch(lengths, total=12):
    """Left-pad each sample to `total`; loss only on the answer tokens (last 3)."""
    ids = torch.zeros(len(lengths), total, dtype=torch.long)
    attn = torch.zeros_like(ids)
    loss_mask = torch.zeros_like(ids)
    for i, n in enumerate(lengths):
        ids[i, total - n:] = torch.randint(1, VOCAB, (n,))
        attn[i, total - n:] = 1
        loss_mask[i, total - 3:] = 1
    return ids, attn, loss_mask, torch.randn(len(lengths), N_IMG, 16)


model = MiniVLM()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for step in range(3):
    X, attn, loss_mask, pixels = make_batch([12, 8, 6])
    res = model(X, pixels)  # BUG: the padding mask is not passed: only the loss is masked, the left padding is attended by every token
    loss = F.cross_entropy(res[:, :-1].reshape(-1, VOCAB), X[:, 1:].reshape(-1), reduction="none")
    loss = (loss * loss_mask[:, 1:].reshape(-1)).sum() / loss_mask[:, 1:].sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"loss {loss.item():.3f} ppl {math.exp(loss.item()):.1f}")
