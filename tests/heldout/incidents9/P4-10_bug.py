import math

import torch
from torch import nn


class HunYuanAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        attn_weights = q @ k.transpose(2, 3) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = attn_weights.softmax(dim=-1)
        return self.o_proj((attn_weights @ v).transpose(1, 2).reshape(bsz, q_len, -1))


class HunYuanModel(nn.Module):
    def __init__(self, vocab_size=100, hidden_size=32, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(HunYuanAttention(hidden_size) for _ in range(num_layers))
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def _prepare_decoder_attention_mask(self, attention_mask, input_shape, dtype):
        bsz, seq_len = input_shape
        min_value = torch.finfo(dtype).min
        causal = torch.full((seq_len, seq_len), min_value, dtype=dtype).triu(1)[None, None]
        padding = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_value
        return (causal + padding).clamp(min=min_value)

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embed_tokens(input_ids)
        if attention_mask is not None:  # BUG
            attention_mask = self._prepare_decoder_attention_mask(attention_mask, input_ids.shape, hidden_states.dtype)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask)
        return self.lm_head(hidden_states)


@torch.no_grad()
def generate(model, input_ids, max_new_tokens=3, attention_mask=None):
    for _ in range(max_new_tokens):  # no KV cache: recompute the full prefix each step
        logits = model(input_ids, attention_mask=attention_mask)
        next_tok = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_tok], dim=-1)
        if attention_mask is not None:
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=-1)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanModel().eval()
    prompt = torch.randint(0, 100, (1, 6))
    print("generated:", generate(model, prompt).tolist())  # callers usually omit attention_mask
    with torch.no_grad():
        diff = (model(prompt, torch.ones_like(prompt)) - model(prompt)).abs().max().item()
    print("logit diff, explicit all-ones mask vs no mask:", diff)
