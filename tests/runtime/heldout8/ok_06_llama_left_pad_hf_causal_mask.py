# EXPECT: clean
"""Llama-style causal LM with a left-padded batch. The 4-D additive mask is
built exactly like transformers' _prepare_4d_causal_attention_mask_with_cache_position:
finfo.min causal bias, the 0/1 attention_mask is added, positions where the
sum is 0 (masked by neither) are padding and get filled with finfo.min.
Fully padded query rows (left pads) keep a finite finfo.min row.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaConfig:
    vocab_size = 64
    hidden_size = 32
    intermediate_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2
    rope_theta = 10000.0
    attention_dropout = 0.1
    hidden_dropout = 0.1
    pad_token_id = 0


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rope(position_ids, head_dim, theta):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2).float() / head_dim))
    freqs = position_ids[..., None].float() * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos()[:, None], emb.sin()[:, None]


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.attention_dropout = config.attention_dropout

    def forward(self, hidden_states, cos, sin, attention_mask):
        B, T, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask,
                                             dropout_p=self.attention_dropout if self.training else 0.0)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden_size)
        self.self_attn = LlamaAttention(config)
        self.post_attention_layernorm = RMSNorm(config.hidden_size)
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)
        self.dropout = nn.Dropout(config.hidden_dropout)

    def forward(self, x, cos, sin, mask):
        x = x + self.dropout(self.self_attn(self.input_layernorm(x), cos, sin, mask))
        h = self.post_attention_layernorm(x)
        return x + self.dropout(self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h)))


def prepare_4d_causal_attention_mask(attention_mask, sequence_length, dtype):
    min_dtype = torch.finfo(dtype).min
    batch_size = attention_mask.size(0)
    causal_mask = torch.full((sequence_length, sequence_length), fill_value=min_dtype, dtype=dtype)
    causal_mask = torch.triu(causal_mask, diagonal=1)
    causal_mask = causal_mask[None, None, :, :].expand(batch_size, 1, -1, -1).clone()
    mask_length = attention_mask.shape[-1]
    padding_mask = causal_mask[:, :, :, :mask_length] + attention_mask[:, None, None, :].to(dtype)
    padding_mask = padding_mask == 0
    causal_mask[:, :, :, :mask_length] = causal_mask[:, :, :, :mask_length].masked_fill(padding_mask, min_dtype)
    return causal_mask


class LlamaForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.layers = nn.ModuleList([LlamaDecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.norm = RMSNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask, labels=None):
        B, T = input_ids.shape
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        cos, sin = rope(position_ids, self.config.hidden_size // self.config.num_attention_heads, self.config.rope_theta)
        mask = prepare_4d_causal_attention_mask(attention_mask, T, self.embed_tokens.weight.dtype)
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = layer(h, cos, sin, mask)
        logits = self.lm_head(self.norm(h))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1), ignore_index=-100)
        return logits, loss

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, _ = self(input_ids, attention_mask)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        return input_ids


def left_pad(seqs, pad_id):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    mask = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, T - len(s):] = s
        mask[i, T - len(s):] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    config = LlamaConfig()
    model = LlamaForCausalLM(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    seqs = [torch.randint(1, config.vocab_size, (n,)) for n in (10, 6, 8)]
    input_ids, attention_mask = left_pad(seqs, config.pad_token_id)
    labels = input_ids.masked_fill(attention_mask == 0, -100)

    model.train()
    _, loss = model(input_ids, attention_mask, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        logits, eval_loss = model(input_ids, attention_mask, labels)
        generated = model.generate(input_ids, attention_mask, max_new_tokens=3)
    return [loss.detach(), *grads, logits[:, -1], eval_loss, generated]
