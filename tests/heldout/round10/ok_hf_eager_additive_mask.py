"""Eager attention path of a Llama-like model with a Hugging Face-style 4-D additive causal mask."""
import math

import torch
import torch.nn as nn


def prepare_4d_causal_attention_mask(attention_mask, q_len, past_len, dtype, device):
    """Returns (B, 1, q_len, past_len + q_len) with 0 for visible keys and dtype-min for hidden ones."""
    total = past_len + q_len
    min_dtype = torch.finfo(dtype).min
    q_pos = torch.arange(past_len, total, device=device)[:, None]
    k_pos = torch.arange(total, device=device)[None, :]
    hidden = k_pos > q_pos                                           # (q, k)
    hidden = hidden[None, None] | (attention_mask[:, None, None, :] == 0)
    mask = torch.zeros(hidden.shape, dtype=dtype, device=device)
    return mask.masked_fill(hidden, min_dtype)


class LlamaLikeAttention(nn.Module):
    def __init__(self, hidden_size, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, causal_mask):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        attn_weights = attn_weights + causal_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(out)


class TinyLlama(nn.Module):
    def __init__(self, vocab=512, hidden=64, heads=4, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(LlamaLikeAttention(hidden, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.RMSNorm(hidden) for _ in range(layers))
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.size(1), 0, h.dtype, h.device)
        for layer, norm in zip(self.layers, self.norms):
            h = h + layer(norm(h), mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyLlama()
    ids = torch.randint(1, 512, (2, 10))
    am = torch.ones(2, 10, dtype=torch.long)
    am[1, 7:] = 0
    logits = model(ids, am)
    half = model.to(torch.bfloat16)(ids, am)
    print(logits.shape, logits.isnan().any().item(), half.isnan().any().item())
