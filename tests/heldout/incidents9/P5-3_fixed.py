from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class GPT2Config:
    vocab_size: int = 64
    n_embd: int = 32
    n_head: int = 4
    n_layer: int = 2
    add_cross_attention: bool = True


def create_bidirectional_mask(input_embeds, attention_mask, encoder_hidden_states):
    """(B, 1, Q, KV) bool mask for cross-attention (True = attend), or None."""
    if attention_mask is None:
        return None
    q_len = input_embeds.shape[1]
    return attention_mask.bool()[:, None, None, :].expand(-1, 1, q_len, encoder_hidden_states.shape[1])


class GPT2Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.n_head
        self.attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)
        self.q_cross = nn.Linear(cfg.n_embd, cfg.n_embd)
        self.kv_cross = nn.Linear(cfg.n_embd, 2 * cfg.n_embd)

    def _heads(self, t):
        return t.view(t.shape[0], t.shape[1], self.h, -1).transpose(1, 2)

    def forward(self, x, encoder_hidden_states, encoder_attention_mask):
        b, n, d = x.shape
        q, k, v = (self._heads(t) for t in self.attn(x).chunk(3, -1))
        x = x + F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, n, d)
        q = self._heads(self.q_cross(x))
        k, v = (self._heads(t) for t in self.kv_cross(encoder_hidden_states).chunk(2, -1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)
        return x + y.transpose(1, 2).reshape(b, n, d)


class GPT2Model(nn.Module):
    def __init__(self, cfg: GPT2Config):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.h = nn.ModuleList(GPT2Block(cfg) for _ in range(cfg.n_layer))

    def forward(self, input_ids, encoder_hidden_states: Optional[torch.Tensor] = None,
                encoder_attention_mask: Optional[torch.Tensor] = None):
        inputs_embeds = self.wte(input_ids)
        if encoder_hidden_states is not None:
            encoder_attention_mask = create_bidirectional_mask(inputs_embeds, encoder_attention_mask, encoder_hidden_states)
        hidden_states = inputs_embeds
        for block in self.h:
            hidden_states = block(hidden_states, encoder_hidden_states, encoder_attention_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model(GPT2Config()).eval()
    ids = torch.randint(0, 64, (2, 5))
    enc = torch.randn(2, 7, 32)
    enc_mask = torch.tensor([[1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        out = model(ids, enc, enc_mask)
        enc2 = enc.clone()
        enc2[0, 4:] = torch.randn(3, 32)  # only padded encoder positions change
        out2 = model(ids, enc2, enc_mask)
    print(out.shape)
    print("output change from encoder padding:", (out2 - out).abs().max().item())
