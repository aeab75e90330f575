# EXPECT: bug the key-padding part of the SDPA mask is sliced with the query positions (attention_mask[..., past:past+q_len]) instead of all key positions, so during cached decoding it shrinks to one column that broadcasts over the keys and the left padding is attended.
"""Llama-style causal LM with a static key/value cache and left-padded batched generation, in the style of HF LlamaModel (sdpa) and meta-llama generation.py."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaConfig:
    vocab_size = 48
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    intermediate_size = 64
    attention_dropout = 0.1
    hidden_dropout = 0.1
    pad_token_id = 0


class KVCache:
    def __init__(self, n_layers):
        self.k = [None] * n_layers
        self.v = [None] * n_layers

    def update(self, idx, k, v):
        if self.k[idx] is None:
            self.k[idx], self.v[idx] = k, v
        else:
            self.k[idx] = torch.cat([self.k[idx], k], dim=2)
            self.v[idx] = torch.cat([self.v[idx], v], dim=2)
        return self.k[idx], self.v[idx]

    def length(self):
        return 0 if self.k[0] is None else self.k[0].size(2)


def apply_rope(x, pos, dim):
    inv = 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim))
    f = pos[:, None, :, None].float() * inv
    cos, sin = torch.cat([f, f], -1).cos(), torch.cat([f, f], -1).sin()
    x1, x2 = x.chunk(2, -1)
    return x * cos + torch.cat([-x2, x1], -1) * sin


class LlamaAttention(nn.Module):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.layer_idx = layer_idx
        self.h = config.num_attention_heads
        self.d = config.hidden_size // self.h
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.p = config.attention_dropout

    def forward(self, x, pos, attn_mask, cache=None):
        B, T, _ = x.shape
        q = apply_rope(self.q_proj(x).view(B, T, self.h, self.d).transpose(1, 2), pos, self.d)
        k = apply_rope(self.k_proj(x).view(B, T, self.h, self.d).transpose(1, 2), pos, self.d)
        v = self.v_proj(x).view(B, T, self.h, self.d).transpose(1, 2)
        if cache is not None:
            k, v = cache.update(self.layer_idx, k, v)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        return self.o_proj(y.transpose(1, 2).reshape(B, T, -1))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, config, idx):
        super().__init__()
        self.self_attn = LlamaAttention(config, idx)
        self.input_layernorm = nn.RMSNorm(config.hidden_size, eps=1e-6)
        self.post_attention_layernorm = nn.RMSNorm(config.hidden_size, eps=1e-6)
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)
        self.drop = nn.Dropout(config.hidden_dropout)

    def forward(self, x, pos, mask, cache):
        x = x + self.drop(self.self_attn(self.input_layernorm(x), pos, mask, cache))
        h = self.post_attention_layernorm(x)
        return x + self.drop(self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h)))


class LlamaForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.layers = nn.ModuleList([LlamaDecoderLayer(config, i) for i in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size, eps=1e-6)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def _update_causal_mask(self, attention_mask, past_len, q_len):
        key_keep = attention_mask[:, None, None, past_len:past_len + q_len].bool()
        if q_len == 1:
            return key_keep
        causal = torch.tril(torch.ones(q_len, past_len + q_len, dtype=torch.bool), diagonal=past_len)
        keep = causal[None, None] & key_keep
        return keep | ~keep.any(-1, keepdim=True)

    def forward(self, input_ids, attention_mask, cache=None):
        past_len = 0 if cache is None else cache.length()
        q_len = input_ids.size(1)
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0)[:, past_len:past_len + q_len]
        mask = self._update_causal_mask(attention_mask, past_len, q_len)
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, pos, mask, cache)
        return self.lm_head(self.norm(x))

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens):
        cache = KVCache(len(self.layers))
        logits = self(input_ids, attention_mask, cache)
        steps = []
        for _ in range(max_new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            steps.append(logits[:, -1])
            input_ids = torch.cat([input_ids, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            logits = self(nxt, attention_mask, cache)
        return input_ids, torch.stack(steps, 1)


def run():
    torch.manual_seed(0)
    config = LlamaConfig()
    model = LlamaForCausalLM(config)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(1, config.vocab_size, (3, 10))
    am = torch.ones_like(ids)
    model.train()
    logits = model(ids[:, :-1], am[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, config.vocab_size), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    prompts = torch.randint(1, config.vocab_size, (3, 6))
    pam = torch.ones_like(prompts)
    prompts[0, :3] = 0
    pam[0, :3] = 0
    prompts[2, :1] = 0
    pam[2, :1] = 0
    out, step_logits = model.generate(prompts, pam, 4)
    return [loss.detach(), *grads, out, step_logits]
