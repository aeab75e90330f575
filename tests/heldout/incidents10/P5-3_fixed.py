"""modeling_gpt2.py (excerpt) - GPT2Model with add_cross_attention (used as
the decoder of an EncoderDecoderModel), SDPA attention."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class GPT2Config:
    n_embd: int = 32
    n_head: int = 4
    n_layer: int = 2
    vocab_size: int = 50
    add_cross_attention: bool = True


class GPT2Attention(nn.Module):
    def __init__(self, config, is_cross_attention=False):
        super().__init__()
        self.h, self.is_cross_attention = config.n_head, is_cross_attention
        self.q_attn = nn.Linear(config.n_embd, config.n_embd)
        self.c_attn = nn.Linear(config.n_embd, 2 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, encoder_hidden_states=None, attention_mask=None):
        kv_src = encoder_hidden_states if self.is_cross_attention else hidden_states
        b, s, d = hidden_states.shape
        q = self.q_attn(hidden_states).view(b, s, self.h, -1).transpose(1, 2)
        k, v = (t.view(b, kv_src.shape[1], self.h, -1).transpose(1, 2) for t in self.c_attn(kv_src).split(d, dim=2))
        is_causal = attention_mask is None and not self.is_cross_attention and s > 1
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=is_causal)
        return self.c_proj(o.transpose(1, 2).reshape(b, s, d))


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attn = GPT2Attention(config)
        self.crossattention = GPT2Attention(config, is_cross_attention=True)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = hidden_states + self.attn(hidden_states, attention_mask=attention_mask)
        hidden_states = hidden_states + self.crossattention(hidden_states, encoder_hidden_states, attention_mask=encoder_attention_mask)
        return hidden_states


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.h = nn.ModuleList(GPT2Block(config) for _ in range(config.n_layer))

    def _prepare_encoder_mask(self, encoder_attention_mask, tgt_len):
        return encoder_attention_mask.bool()[:, None, None, :].expand(-1, 1, tgt_len, -1)

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = self.wte(input_ids)
        if self.config.add_cross_attention and encoder_hidden_states is not None and encoder_attention_mask is not None:
            encoder_attention_mask = self._prepare_encoder_mask(encoder_attention_mask, input_ids.shape[1])
        for block in self.h:
            hidden_states = block(hidden_states, encoder_hidden_states=encoder_hidden_states,
                                  encoder_attention_mask=encoder_attention_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model(GPT2Config()).eval()
    ids = torch.randint(0, 50, (2, 5))
    enc = torch.randn(2, 7, 32)
    enc_mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3])
    enc2 = enc.clone(); enc2[1, 4:] = torch.randn(3, 32) * 10
    with torch.no_grad():
        a = model(ids, enc, enc_mask); b = model(ids, enc2, enc_mask)
    print("decoder change from encoder padding content:", (a[1] - b[1]).abs().max().item())
