# EXPECT: bug the eager attention path receives the boolean keep-mask built for the sdpa backend and adds it to the attention logits (+1 where allowed, +0 where blocked), so the causal and padding constraints are not enforced.
"""Qwen3-style decoder (GQA, q/k RMSNorm, rotary) with a switchable attention implementation, in the style of huggingface/transformers modeling_qwen3 (eager_attention_forward / sdpa_attention_forward)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Qwen3Config:
    vocab_size = 56
    hidden_size = 32
    intermediate_size = 64
    num_hidden_layers = 2
    num_attention_heads = 4
    num_key_value_heads = 2
    head_dim = 8
    rms_norm_eps = 1e-6
    attention_dropout = 0.1
    rope_theta = 10000.0
    attn_implementation = "eager"
    pad_token_id = 0


class Qwen3RMSNorm(nn.Module):
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        return self.weight * hidden_states * torch.rsqrt(variance + self.variance_epsilon)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(hidden_states, n_rep):
    b, h, s, d = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    return hidden_states[:, :, None].expand(b, h, n_rep, s, d).reshape(b, h * n_rep, s, d)


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    key_states = repeat_kv(key, module.num_key_value_groups)
    value_states = repeat_kv(value, module.num_key_value_groups)
    attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key_states.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG-SITE
    attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = nn.functional.dropout(attn_weights, p=dropout, training=module.training)
    return torch.matmul(attn_weights, value_states).transpose(1, 2).contiguous()


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling)
    return out.transpose(1, 2).contiguous()


ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Qwen3Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.head_dim = config.head_dim
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(config.hidden_size, config.num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.num_attention_heads * self.head_dim, config.hidden_size, bias=False)
        self.q_norm = Qwen3RMSNorm(self.head_dim, eps=config.rms_norm_eps)
        self.k_norm = Qwen3RMSNorm(self.head_dim, eps=config.rms_norm_eps)

    def forward(self, hidden_states, position_embeddings, attention_mask):
        b, s, _ = hidden_states.shape
        hidden_shape = (b, s, -1, self.head_dim)
        q = self.q_norm(self.q_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        k = self.k_norm(self.k_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        v = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        cos, sin = position_embeddings
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        attn_fn = ATTENTION_FUNCTIONS[self.config.attn_implementation]
        out = attn_fn(self, q, k, v, attention_mask, self.scaling, dropout=self.config.attention_dropout if self.training else 0.0)
        return self.o_proj(out.reshape(b, s, -1))


class Qwen3DecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = Qwen3Attention(config)
        self.mlp_gate = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.mlp_up = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.mlp_down = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)
        self.input_layernorm = Qwen3RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.post_attention_layernorm = Qwen3RMSNorm(config.hidden_size, config.rms_norm_eps)

    def forward(self, h, pos_emb, mask):
        h = h + self.self_attn(self.input_layernorm(h), pos_emb, mask)
        x = self.post_attention_layernorm(h)
        return h + self.mlp_down(F.silu(self.mlp_gate(x)) * self.mlp_up(x))


def create_causal_mask(attention_mask, seq_len):
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool))
    return causal[None, None] & attention_mask[:, None, None, :].bool()


class Qwen3ForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.layers = nn.ModuleList([Qwen3DecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.norm = Qwen3RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        inv_freq = 1.0 / (config.rope_theta ** (torch.arange(0, config.head_dim, 2).float() / config.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, input_ids, attention_mask):
        s = input_ids.size(1)
        position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        freqs = position_ids[..., None].float() * self.inv_freq
        emb = torch.cat([freqs, freqs], -1)
        pos_emb = (emb.cos()[:, None], emb.sin()[:, None])
        mask = create_causal_mask(attention_mask, s)
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = layer(h, pos_emb, mask)
        return self.lm_head(self.norm(h))


def run():
    torch.manual_seed(0)
    config = Qwen3Config()
    model = Qwen3ForCausalLM(config)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(1, config.vocab_size, (3, 9))
    am = torch.ones_like(ids)
    ids[2, 6:] = 0
    am[2, 6:] = 0
    model.train()
    logits = model(ids[:, :-1], am[:, :-1])
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits.reshape(-1, config.vocab_size), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    prompt = torch.randint(1, config.vocab_size, (2, 4))
    pm = torch.ones_like(prompt)
    with torch.no_grad():
        for _ in range(4):
            logits = model(prompt, pm)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            prompt = torch.cat([prompt, nxt], 1)
            pm = torch.cat([pm, torch.ones_like(nxt)], 1)
    return [loss.detach(), *grads, prompt, logits[:, -1]]
