import math
from typing import Optional

import torch
import torch.nn as nn


class MixFormerConfig:
    vocab_size = 64
    n_embd = 32
    n_head = 4
    n_layer = 2
    rotary_dim = 0


class SelfAttention(nn.Module):
    def __init__(self, causal=True, softmax_scale=None):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale

    def forward(self, qkv, causal=None, key_padding_mask=None):
        causal = self.causal if causal is None else causal
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attention = torch.softmax(scores, dim=-1).to(v.dtype)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.Wqkv = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.out_proj = nn.Linear(config.n_embd, config.n_embd)
        self.inner_attn = SelfAttention(causal=True)

    def forward(self, x, past_key_values=None, attention_mask: Optional[torch.Tensor] = None, **kwargs):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        if attention_mask is not None and torch.any(~attention_mask.bool()):
            attention_mask = attention_mask.bool()
        else:
            attention_mask = None
        attn_output = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(attn_output.reshape(x.shape[0], x.shape[1], -1))


class ParallelBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln = nn.LayerNorm(config.n_embd)
        self.mixer = MHA(config)
        self.mlp = nn.Sequential(nn.Linear(config.n_embd, 4 * config.n_embd), nn.GELU(), nn.Linear(4 * config.n_embd, config.n_embd))

    def forward(self, hidden_states, past_key_values=None, attention_mask=None):
        residual = hidden_states
        hidden_states = self.ln(hidden_states)
        attn_outputs = self.mixer(hidden_states, past_key_values=past_key_values, attention_mask=attention_mask)
        return attn_outputs + self.mlp(hidden_states) + residual


class MixFormerSequentialForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.blocks = nn.ModuleList([ParallelBlock(config) for _ in range(config.n_layer)])
        self.lm_head = nn.Sequential(nn.LayerNorm(config.n_embd), nn.Linear(config.n_embd, config.vocab_size))

    def forward(self, input_ids, past_key_values=None, attention_mask=None):
        hidden_states = self.wte(input_ids)
        for block in self.blocks:
            hidden_states = block(hidden_states, past_key_values=past_key_values, attention_mask=attention_mask)
        return self.lm_head(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MixFormerSequentialForCausalLM(MixFormerConfig()).eval()
    tok = {"input_ids": torch.tensor([[7, 21, 3, 0, 0], [9, 14, 2, 30, 5]]),
           "attention_mask": torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])}
    try:
        with torch.no_grad():
            logits = model(**tok)
        print(f"forward ok, NaN logits: {torch.isnan(logits).sum().item()}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
