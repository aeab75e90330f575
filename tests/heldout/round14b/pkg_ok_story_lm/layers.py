import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import StoryConfig


class SDPASelfAttention(nn.Module):
    def __init__(self, cfg: StoryConfig):
        super().__init__()
        self.cfg = cfg
        self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.cfg.n_head, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.cfg.dropout if self.training else 0.0,
                                           is_causal=self.cfg.causal)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class TorchSelfAttention(nn.Module):
    def __init__(self, cfg: StoryConfig):
        super().__init__()
        self.cfg = cfg
        self.mha = nn.MultiheadAttention(cfg.n_embd, cfg.n_head, dropout=cfg.dropout, batch_first=True)
        self.register_buffer(
            "causal_mask", nn.Transformer.generate_square_subsequent_mask(cfg.block_size), persistent=False)

    def forward(self, x):
        T = x.size(1)
        mask = self.causal_mask[:T, :T] if self.cfg.causal else None
        return self.mha(x, x, x, attn_mask=mask, need_weights=False, is_causal=self.cfg.causal)[0]


ATTENTION = {"sdpa": SDPASelfAttention, "torch_mha": TorchSelfAttention}


class Block(nn.Module):
    def __init__(self, cfg: StoryConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.attn = ATTENTION[cfg.backend](cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = nn.Sequential(nn.Linear(cfg.n_embd, 4 * cfg.n_embd), nn.GELU(), nn.Linear(4 * cfg.n_embd, cfg.n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))
