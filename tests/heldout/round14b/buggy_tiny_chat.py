"""Small chat model, eager attention, batched generation with left padding."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_attention_bias(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(bsz, seq) 1/0 mask -> (bsz, 1, seq, seq) additive bias."""
    bsz, seq_len = attention_mask.shape
    min_value = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_value, dtype=dtype).triu(1)
    is_pad = (attention_mask == 0).to(dtype)
    key_bias = is_pad[:, None, None, :] * min_value
    query_bias = is_pad[:, None, :, None] * min_value
    return causal[None, None] + key_bias + query_bias


class EagerAttention(nn.Module):
    def __init__(self, hidden_size, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attn_bias):
        bsz, q_len, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        scores = scores + attn_bias  # expect: ML205
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(out)


class DecoderLayer(nn.Module):
    def __init__(self, hidden_size, num_heads):
        super().__init__()
        self.input_layernorm = nn.RMSNorm(hidden_size)
        self.self_attn = EagerAttention(hidden_size, num_heads)
        self.post_attention_layernorm = nn.RMSNorm(hidden_size)
        self.mlp = nn.Sequential(nn.Linear(hidden_size, 4 * hidden_size), nn.SiLU(), nn.Linear(4 * hidden_size, hidden_size))

    def forward(self, hidden_states, attn_bias):
        hidden_states = hidden_states + self.self_attn(self.input_layernorm(hidden_states), attn_bias)
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class TinyChatModel(nn.Module):
    def __init__(self, vocab_size=400, hidden_size=64, num_heads=4, num_layers=2, max_positions=256):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.embed_positions = nn.Embedding(max_positions, hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(hidden_size, num_heads) for _ in range(num_layers))
        self.norm = nn.RMSNorm(hidden_size)
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask):
        position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        h = self.embed_tokens(input_ids) + self.embed_positions(position_ids)
        bias = make_attention_bias(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, bias)
        return self.lm_head(self.norm(h))

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask)[:, -1]
            next_tok = logits.argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tok], dim=-1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=-1)
        return input_ids


def left_pad(prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id)
    mask = torch.zeros(len(prompts), width, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    return ids, mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyChatModel().eval()
    ids, mask = left_pad([[5, 6, 7, 8, 9, 10], [11, 12, 13]])
    out = model.generate(ids, mask)
    print("generated", out.tolist())
