import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2Config:
    def __init__(self, vocab_size=300, n_embd=64, n_head=4, n_layer=2, add_cross_attention=True, attn_implementation="sdpa"):
        self.vocab_size = vocab_size
        self.n_embd = n_embd
        self.n_head = n_head
        self.n_layer = n_layer
        self.add_cross_attention = add_cross_attention
        self._attn_implementation = attn_implementation


class GPT2CrossAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head = config.n_head
        self.q_attn = nn.Linear(config.n_embd, config.n_embd)
        self.c_attn = nn.Linear(config.n_embd, 2 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask=None):
        b, t, c = hidden_states.shape
        s = encoder_hidden_states.shape[1]
        q = self.q_attn(hidden_states).view(b, t, self.n_head, -1).transpose(1, 2)
        k, v = self.c_attn(encoder_hidden_states).view(b, s, 2, self.n_head, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)  # BUG
        return self.c_proj(out.transpose(1, 2).reshape(b, t, c))


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = nn.MultiheadAttention(config.n_embd, config.n_head, batch_first=True)
        self.ln_cross_attn = nn.LayerNorm(config.n_embd)
        self.crossattention = GPT2CrossAttention(config)

    def forward(self, hidden_states, causal_mask, encoder_hidden_states=None, encoder_attention_mask=None):
        h = self.ln_1(hidden_states)
        hidden_states = hidden_states + self.attn(h, h, h, attn_mask=causal_mask, need_weights=False)[0]
        if encoder_hidden_states is not None:
            h = self.ln_cross_attn(hidden_states)
            hidden_states = hidden_states + self.crossattention(h, encoder_hidden_states, encoder_attention_mask)
        return hidden_states


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config.n_layer)])

    def _prepare_cross_mask(self, encoder_attention_mask, dtype):
        inverted = 1.0 - encoder_attention_mask[:, None, None, :].to(dtype)
        return inverted * torch.finfo(dtype).min

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = self.wte(input_ids)
        t = input_ids.shape[1]
        causal_mask = torch.ones(t, t, dtype=torch.bool, device=input_ids.device).triu(1)
        if self.config.add_cross_attention and encoder_hidden_states is not None and encoder_attention_mask is not None:
            if self.config._attn_implementation == "eager":
                encoder_attention_mask = self._prepare_cross_mask(encoder_attention_mask, hidden_states.dtype)
            else:
                encoder_attention_mask = None  # BUG
        for block in self.h:
            hidden_states = block(hidden_states, causal_mask, encoder_hidden_states, encoder_attention_mask)
        return hidden_states
