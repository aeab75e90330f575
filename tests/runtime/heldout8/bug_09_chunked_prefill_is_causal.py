# EXPECT: bug chunked prefill with a KV cache uses SDPA is_causal=(q_len > 1); for a later chunk q_len < kv_len and is_causal is upper-left aligned, so chunk tokens cannot see most of the cached prefix
"""Mistral/HF-style decoder with past_key_values, used with chunked prefill:
long prompts are fed through the model in fixed-size chunks to bound memory.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab_size = 56
    hidden_size = 32
    num_heads = 2
    num_layers = 2
    max_position = 64
    dropout = 0.1
    prefill_chunk = 4


class SelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_heads
        self.head_dim = config.hidden_size // config.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = config.dropout

    def forward(self, hidden_states, past_key_value=None):
        bsz, q_len, _ = hidden_states.size()
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=2)
            v = torch.cat([past_key_value[1], v], dim=2)
        present = (k, v)
        # a single decode token may attend everything in the cache
        is_causal = q_len > 1
        attn = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v,
            attn_mask=None,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=is_causal,
        )
        attn = attn.transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(attn), present


class DecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.self_attn = SelfAttention(config)
        self.ln2 = nn.LayerNorm(config.hidden_size)
        self.fc1 = nn.Linear(config.hidden_size, 2 * config.hidden_size)
        self.fc2 = nn.Linear(2 * config.hidden_size, config.hidden_size)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x, past_key_value=None):
        a, present = self.self_attn(self.ln1(x), past_key_value)
        x = x + self.drop(a)
        x = x + self.drop(self.fc2(F.gelu(self.fc1(self.ln2(x)))))
        return x, present


class CausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.hidden_size)
        self.pos = nn.Embedding(config.max_position, config.hidden_size)
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config.num_layers)])
        self.norm = nn.LayerNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].size(2)
        pos = torch.arange(past_len, past_len + input_ids.size(1))
        h = self.embed(input_ids) + self.pos(pos)
        presents = []
        for i, layer in enumerate(self.layers):
            h, present = layer(h, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        return self.lm_head(self.norm(h)), presents

    @torch.no_grad()
    def chunked_prefill(self, input_ids):
        past = None
        chunk_logits = []
        for start in range(0, input_ids.size(1), self.config.prefill_chunk):
            logits, past = self(input_ids[:, start:start + self.config.prefill_chunk], past)
            chunk_logits.append(logits)
        return torch.cat(chunk_logits, dim=1), past


def run():
    torch.manual_seed(0)
    config = Config()
    model = CausalLM(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, config.vocab_size, (3, 13))

    model.train()
    logits, _ = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, config.vocab_size), data[:, 1:].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        prompt = data[:, :12]
        prefill_logits, past = model.chunked_prefill(prompt)
        next_token = prefill_logits[:, -1].argmax(-1)
    return [loss.detach(), *grads, prefill_logits, next_token]
