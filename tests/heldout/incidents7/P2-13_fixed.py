"""Falcon-style decoder (imitating the modelling_RW.py shipped on the Hugging Face Hub):
fused QKV, rotary embeddings and a boolean combined causal/padding mask, attention via SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RWConfig:
    vocab_size = 100
    hidden_size = 64
    n_head = 4
    n_layer = 2


def _make_causal_mask(input_ids_shape, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.triu(torch.ones(target_length, target_length, dtype=torch.bool), diagonal=1)
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length)


def _prepare_attn_mask(attention_mask, input_shape):
    causal = _make_causal_mask(input_shape)
    padding = ~(attention_mask[:, None, None, :].bool())
    return causal | padding


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.hidden_size // config.n_head
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, self.head_dim, 2).float() / self.head_dim))
        self.register_buffer("inv_freq", inv_freq)

    def rotary(self, q, k, position_ids):
        freqs = position_ids[:, None, :, None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin

    def forward(self, hidden_states, attention_mask, position_ids):
        b, q_len, _ = hidden_states.shape
        fused = self.query_key_value(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim)
        query_layer, key_layer, value_layer = fused.permute(2, 0, 3, 1, 4)
        query_layer_, key_layer_ = self.rotary(query_layer, key_layer, position_ids)
        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(query_layer.dtype)
        attn_output = F.scaled_dot_product_attention(query_layer_, key_layer_, value_layer, attention_mask_float, 0.0, is_causal=False)
        return self.dense(attn_output.transpose(1, 2).reshape(b, q_len, -1))


class RWForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList([Attention(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask):
        position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        causal_mask = _prepare_attn_mask(attention_mask, input_ids.shape)
        h = self.word_embeddings(input_ids)
        for block in self.h:
            h = h + block(h, causal_mask, position_ids)
        return self.lm_head(self.ln_f(h))


@torch.no_grad()
def greedy_generate(model, input_ids, attention_mask, max_new_tokens=4):
    for _ in range(max_new_tokens):
        next_tok = model(input_ids, attention_mask)[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_tok], dim=1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RWForCausalLM(RWConfig()).eval()
    prompts = [[5, 17, 42, 8, 9], [33, 2]]
    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
    attention_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    print(greedy_generate(model, input_ids, attention_mask))
