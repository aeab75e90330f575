# Autoregressive motion-token model (VQ codes of poses -> next code).
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.0, is_causal: bool = True):
        super().__init__()
        self.is_causal = is_causal
        self.mha = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)

    def forward(self, x):
        out, _ = self.mha(x, x, x, need_weights=False, is_causal=self.is_causal)  # expect: ML402
        return out


class MotionBlock(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads, dropout)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.mlp(self.n2(x))


class MotionGPT(nn.Module):
    def __init__(self, n_codes=512, n_text=768, dim=512, heads=8, depth=8, max_len=64):
        super().__init__()
        self.code_emb = nn.Embedding(n_codes + 2, dim)       # + start / end
        self.text_proj = nn.Linear(n_text, dim)
        self.pos = nn.Parameter(torch.zeros(1, max_len + 1, dim))
        self.blocks = nn.Sequential(*[MotionBlock(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_codes + 2)

    def forward(self, text_feat, codes):
        cond = self.text_proj(text_feat).unsqueeze(1)        # text token goes first
        x = torch.cat([cond, self.code_emb(codes)], dim=1)
        x = x + self.pos[:, : x.size(1)]
        return self.head(self.norm(self.blocks(x)))

    def training_loss(self, text_feat, codes):
        logits = self(text_feat, codes[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), codes.reshape(-1))

    @torch.no_grad()
    def sample(self, text_feat, steps, end_id):
        codes = torch.empty(text_feat.size(0), 0, dtype=torch.long, device=text_feat.device)
        for _ in range(steps):
            nxt = self(text_feat, codes)[:, -1].argmax(-1, keepdim=True)
            codes = torch.cat([codes, nxt], dim=1)
            if (nxt == end_id).all():
                break
        return codes
