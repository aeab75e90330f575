"""GPT-2 block with optional cross-attention (encoder-decoder use), SDPA backend."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPT2Config:
    n_embd: int = 32
    n_head: int = 4
    add_cross_attention: bool = True
    attn_implementation: str = "sdpa"


class GPT2Attention(nn.Module):
    def __init__(self, config: GPT2Config, is_cross_attention=False):
        super().__init__()
        self.config = config
        self.is_cross_attention = is_cross_attention
        d = config.n_embd
        self.q_attn = nn.Linear(d, d)
        self.c_attn = nn.Linear(d, 2 * d)
        self.c_proj = nn.Linear(d, d)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None, encoder_attention_mask=None):
        b, t, d = hidden_states.shape
        h = self.config.n_head
        split = lambda x: x.view(b, -1, h, d // h).transpose(1, 2)
        if encoder_hidden_states is not None:
            q = split(self.q_attn(hidden_states))
            k, v = map(split, self.c_attn(encoder_hidden_states).chunk(2, -1))
            attention_mask = encoder_attention_mask
            is_causal = False
        else:
            q = split(self.q_attn(hidden_states))
            k, v = map(split, self.c_attn(hidden_states).chunk(2, -1))
            is_causal = attention_mask is None and t > 1
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=is_causal)
        return self.c_proj(out.transpose(1, 2).reshape(b, t, d))


class GPT2Block(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = GPT2Attention(config)
        self.ln_cross = nn.LayerNorm(config.n_embd)
        self.crossattention = GPT2Attention(config, is_cross_attention=True)

    def forward(self, x, encoder_hidden_states, encoder_attention_mask):
        x = x + self.attn(self.ln_1(x))
        return x + self.crossattention(self.ln_cross(x), encoder_hidden_states=encoder_hidden_states,
                                       encoder_attention_mask=encoder_attention_mask)


def extended_encoder_mask(mask):
    # (B, S) 1/0 -> bool (B, 1, 1, S) for SDPA, True = attend
    return mask.bool()[:, None, None, :]


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GPT2Block(GPT2Config()).eval()
    x, enc = torch.randn(2, 4, 32), torch.randn(2, 6, 32)
    enc_mask = torch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]])
    enc2 = enc.clone()
    enc2[0, 3:] = 7.0
    with torch.no_grad():
        a = block(x, enc, extended_encoder_mask(enc_mask))
        b = block(x, enc2, extended_encoder_mask(enc_mask))
    print("encoder pads ignored:", torch.allclose(a, b, atol=1e-5))
