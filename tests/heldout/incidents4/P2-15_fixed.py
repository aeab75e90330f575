import math

import torch
import torch.nn as nn


class MixFormerConfig:
    model_type = "mixformer-sequential"

    def __init__(self, vocab_size=512, n_embd=64, n_head=4, n_layer=2):
        self.vocab_size = vocab_size
        self.n_embd = n_embd
        self.n_head = n_head
        self.n_layer = n_layer


class SelfAttention(nn.Module):
    def __init__(self, softmax_scale=None):
        super().__init__()
        self.softmax_scale = softmax_scale

    def forward(self, qkv, causal=True, key_padding_mask=None):
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
        self.Wqkv = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.out_proj = nn.Linear(config.n_embd, config.n_embd)
        self.inner_attn = SelfAttention()

    def forward(self, x, attention_mask=None):
        b, s, d = x.shape
        qkv = self.Wqkv(x).view(b, s, 3, self.n_head, d // self.n_head)
        return self.out_proj(self.inner_attn(qkv, key_padding_mask=attention_mask).reshape(b, s, d))


class MixFormerSequentialForCausalLM(nn.Module):
    config_class = MixFormerConfig

    def __init__(self, config):
        super().__init__()
        self.embd = nn.Embedding(config.vocab_size, config.n_embd)
        self.layers = nn.ModuleList([MHA(config) for _ in range(config.n_layer)])
        self.ln = nn.LayerNorm(config.n_embd)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        hidden_states = self.embd(input_ids)
        if attention_mask is not None:
            attention_mask = attention_mask.bool()
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=attention_mask)
        logits = self.lm_head(self.ln(hidden_states))
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
        return {"loss": loss, "logits": logits}
