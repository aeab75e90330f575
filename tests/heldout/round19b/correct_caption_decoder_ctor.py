"""Caption decoder conditioned on image patch tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderBlock(nn.Module):
    def __init__(self, dim, heads, causal=False, mlp_ratio=4.0):
        super().__init__()
        self.heads = heads
        self.causal = causal
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.cross = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm3 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))

    def forward(self, x, image_tokens):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        x = x + self.proj(a.transpose(1, 2).reshape(B, T, D))
        x = x + self.cross(self.norm2(x), image_tokens, image_tokens, need_weights=False)[0]
        return x + self.mlp(self.norm3(x))


class CaptionHead(nn.Module):
    def __init__(self, vocab_size, dim=64, heads=4, depth=2, max_len=40, causal=True):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.zeros(1, max_len, dim))
        self.blocks = nn.ModuleList([DecoderBlock(dim, heads, causal=causal) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.lm = nn.Linear(dim, vocab_size)

    def forward(self, tokens, image_tokens):
        x = self.tok(tokens) + self.pos[:, : tokens.size(1)]
        for blk in self.blocks:
            x = blk(x, image_tokens)
        return self.lm(self.norm(x))

    def loss(self, captions, image_tokens, pad_id=0):
        logits = self(captions[:, :-1], image_tokens)
        return F.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=pad_id)

    @torch.no_grad()
    def greedy(self, image_tokens, bos_id=1, eos_id=2, max_len=20):
        out = torch.full((image_tokens.size(0), 1), bos_id, dtype=torch.long, device=image_tokens.device)
        for _ in range(max_len - 1):
            nxt = self(out, image_tokens)[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
            if (nxt == eos_id).all():
                break
        return out
