from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DecoderConfig:
    n_embd: int = 1024
    n_head: int = 16
    n_kv_head: int = 4
    dropout: float = 0.0


class DecoderSelfAttention(nn.Module):
    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.config = config
        self.head_dim = config.n_embd // config.n_head
        self.q_proj = nn.Linear(config.n_embd, config.n_head * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.n_embd, config.n_kv_head * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.n_embd, config.n_kv_head * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.n_head * self.head_dim, config.n_embd, bias=False)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.config.n_head, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.config.n_kv_head, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.config.n_kv_head, self.head_dim).transpose(1, 2)
        rep = self.config.n_head // self.config.n_kv_head
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            dropout_p=self.config.dropout if self.training else 0.0,
            is_causal=True,  # BUG: explicit attn_mask and is_causal=True together
        )
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


def create_attn_mask(padding: torch.Tensor) -> torch.Tensor:
    """padding: (B, T) True = real audio token -> (B, 1, T, T) bool, True = attend."""
    T = padding.size(1)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=padding.device))
    return causal[None, None] & padding[:, None, None, :]


if __name__ == "__main__":
    cfg = DecoderConfig()
    attn = DecoderSelfAttention(cfg)
    x = torch.randn(2, 12, cfg.n_embd)
    valid = torch.ones(2, 12, dtype=torch.bool)
    valid[1, 9:] = False
    print(attn(x, create_attn_mask(valid)).shape)
