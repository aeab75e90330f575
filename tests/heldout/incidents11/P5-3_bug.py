from types import SimpleNamespace
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def create_causal_mask(config, input_embeds, attention_mask):
    b, q = input_embeds.shape[:2]
    keep = torch.ones(q, q, dtype=torch.bool).tril()[None, None].expand(b, 1, q, q)
    if attention_mask is not None:
        keep = keep & attention_mask[:, None, None, :].bool()
    return keep


def create_bidirectional_mask(config, input_embeds, attention_mask, encoder_hidden_states=None):
    if attention_mask is None:
        return None
    q_len = input_embeds.shape[1]
    return attention_mask[:, None, None, :].bool().expand(-1, 1, q_len, -1)


def sdpa_attention_forward(module, query, key, value, attention_mask, is_causal=False):
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, is_causal=is_causal and attention_mask is None)
    return out.transpose(1, 2).contiguous()


class GPT2Attention(nn.Module):
    def __init__(self, config, is_cross_attention=False):
        super().__init__()
        self.embed_dim = config.n_embd
        self.num_heads = config.n_head
        self.head_dim = self.embed_dim // self.num_heads
        self.is_cross_attention = is_cross_attention
        if is_cross_attention:
            self.c_attn = nn.Linear(self.embed_dim, 2 * self.embed_dim)
            self.q_attn = nn.Linear(self.embed_dim, self.embed_dim)
        else:
            self.c_attn = nn.Linear(self.embed_dim, 3 * self.embed_dim)
        self.c_proj = nn.Linear(self.embed_dim, self.embed_dim)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None):
        bsz, q_len, _ = hidden_states.shape
        if encoder_hidden_states is not None:
            query_states = self.q_attn(hidden_states)
            key_states, value_states = self.c_attn(encoder_hidden_states).split(self.embed_dim, dim=2)
        else:
            query_states, key_states, value_states = self.c_attn(hidden_states).split(self.embed_dim, dim=2)
        split = lambda t: t.view(bsz, -1, self.num_heads, self.head_dim).transpose(1, 2)
        out = sdpa_attention_forward(self, split(query_states), split(key_states), split(value_states), attention_mask,
                                     is_causal=not self.is_cross_attention)
        return self.c_proj(out.reshape(bsz, q_len, -1))


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = GPT2Attention(config)
        self.ln_cross_attn = nn.LayerNorm(config.n_embd)
        self.crossattention = GPT2Attention(config, is_cross_attention=True)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = nn.Sequential(nn.Linear(config.n_embd, 4 * config.n_embd), nn.GELU(), nn.Linear(4 * config.n_embd, config.n_embd))

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = hidden_states + self.attn(self.ln_1(hidden_states), attention_mask=attention_mask)
        if encoder_hidden_states is not None:
            hidden_states = hidden_states + self.crossattention(
                self.ln_cross_attn(hidden_states), attention_mask=encoder_attention_mask, encoder_hidden_states=encoder_hidden_states
            )
        return hidden_states + self.mlp(self.ln_2(hidden_states))


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd)

    def forward(self, input_ids, attention_mask=None, encoder_hidden_states: Optional[torch.Tensor] = None,
                encoder_attention_mask: Optional[torch.Tensor] = None):
        inputs_embeds = self.wte(input_ids)
        hidden_states = inputs_embeds + self.wpe(torch.arange(input_ids.shape[1]))
        causal_mask = create_causal_mask(self.config, inputs_embeds, attention_mask)
        encoder_attention_mask = None  # BUG
        encoder_attention_mask = create_bidirectional_mask(
            config=self.config, input_embeds=inputs_embeds, attention_mask=encoder_attention_mask, encoder_hidden_states=encoder_hidden_states
        )
        for block in self.h:
            hidden_states = block(hidden_states, causal_mask, encoder_hidden_states, encoder_attention_mask)
        return self.ln_f(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    config = SimpleNamespace(vocab_size=50, n_embd=32, n_head=4, n_layer=2, n_positions=32, add_cross_attention=True)
    decoder = GPT2Model(config).eval()
    input_ids = torch.randint(0, 50, (2, 5))
    enc = torch.randn(2, 9, 32)
    enc_mask = torch.tensor([[1] * 9, [1] * 4 + [0] * 5])
    enc_noisy = enc.clone()
    enc_noisy[1, 4:] = torch.randn(5, 32) * 4
    with torch.no_grad():
        a = decoder(input_ids, encoder_hidden_states=enc, encoder_attention_mask=enc_mask)
        b = decoder(input_ids, encoder_hidden_states=enc_noisy, encoder_attention_mask=enc_mask)
    print(f"decoder change when padded encoder states change: {(a[1] - b[1]).abs().max().item():.3e}")
