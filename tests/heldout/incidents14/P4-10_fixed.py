import math

import torch
from torch import nn


class HunYuanAttention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        qkv = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim)
        query_states, key_states, value_states = qkv.permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(query_states, key_states.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            causal_mask = attention_mask[:, :, :, : key_states.shape[-2]]
            attn_weights = attn_weights + causal_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query_states.dtype)
        attn_output = torch.matmul(attn_weights, value_states)
        return self.o_proj(attn_output.transpose(1, 2).reshape(bsz, q_len, -1))


class HunYuanForCausalLM(nn.Module):
    def __init__(self, vocab_size=40, hidden_size=16, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(hidden_size) for _ in range(num_layers)])
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def _update_causal_mask(self, attention_mask, input_tensor):
        if attention_mask is None:
            return None
        dtype, seq_len = input_tensor.dtype, input_tensor.shape[1]
        min_dtype = torch.finfo(dtype).min
        causal_mask = torch.triu(torch.full((seq_len, seq_len), min_dtype, dtype=dtype), diagonal=1)
        causal_mask = causal_mask[None, None].expand(input_tensor.shape[0], 1, -1, -1).clone()
        padding = attention_mask[:, None, None, :] == 0
        return causal_mask.masked_fill(padding, min_dtype)

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embed_tokens(input_ids)
        causal_mask = self._update_causal_mask(attention_mask, hidden_states)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=causal_mask)
        return self.lm_head(hidden_states)


@torch.no_grad()
def generate(model, input_ids, attention_mask=None, max_new_tokens=3):
    for _ in range(max_new_tokens):
        logits = model(input_ids, attention_mask=attention_mask)
        next_token = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_token], dim=-1)
        if attention_mask is not None:
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_token)], dim=-1)
    return input_ids


def chat(model, input_ids):
    return model(input_ids, attention_mask=torch.ones_like(input_ids))  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanForCausalLM().eval()
    prompt = torch.randint(0, 40, (1, 6))
    edited = prompt.clone()
    edited[:, 3:] = torch.randint(0, 40, (1, 3))
    with torch.no_grad():
        leak = (chat(model, prompt) - chat(model, edited))[:, :3].abs().max().item()
    print(f"prefill logits of positions 0-2 change with later tokens: {leak:.4f}")
