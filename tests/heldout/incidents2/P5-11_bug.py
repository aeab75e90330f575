from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange


@dataclass
class ESMConfig:
    d_model: int = 960
    n_heads: int = 15
    n_layers: int = 2
    vocab_size: int = 64
    pad_token_id: int = 1


class MultiHeadAttention(nn.Module):
    def __init__(self, cfg: ESMConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(cfg.d_model), nn.Linear(cfg.d_model, 3 * cfg.d_model, bias=False))
        self.out_proj = nn.Linear(cfg.d_model, cfg.d_model, bias=False)

    def forward(self, x: torch.Tensor, seq_id: torch.Tensor) -> torch.Tensor:
        q, k, v = self.layernorm_qkv(x).chunk(3, dim=-1)
        q, k, v = (rearrange(t, "b s (h d) -> b h s d", h=self.n_heads) for t in (q, k, v))
        mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG: pad positions share an id and attend each other
        mask_BHLL = mask_BLL.unsqueeze(1)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_BHLL)
        return self.out_proj(rearrange(ctx, "b h s d -> b s (h d)"))


class ESMEncoder(nn.Module):
    def __init__(self, cfg: ESMConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList([MultiHeadAttention(cfg) for _ in range(cfg.n_layers)])

    def forward(self, sequence_tokens: torch.Tensor, sequence_id: torch.Tensor = None) -> torch.Tensor:
        if sequence_id is None:
            sequence_id = torch.zeros_like(sequence_tokens)
        # padding positions get chain id -1
        sequence_id = sequence_id.masked_fill(sequence_tokens == self.cfg.pad_token_id, -1)
        x = self.embed(sequence_tokens)
        for blk in self.blocks:
            x = x + blk(x, sequence_id)
        return x


if __name__ == "__main__":
    cfg = ESMConfig()
    model = ESMEncoder(cfg)
    tokens = torch.randint(4, 30, (2, 20))
    tokens[1, 14:] = cfg.pad_token_id
    chain_id = torch.zeros_like(tokens)
    chain_id[0, 10:] = 1
    print(model(tokens, chain_id).shape)
