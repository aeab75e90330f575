import math

import torch
from torch import nn


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, inputs_embeds, past_key_values_length=0):
    bsz, tgt_len = input_shape
    dtype = inputs_embeds.dtype
    min_value = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_value).triu(1)
    causal = torch.cat([torch.zeros(tgt_len, past_key_values_length), causal], dim=-1)
    expanded = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_value
    return (causal[None, None] + expanded).clamp(min=min_value)


class HunYuanAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        attn_output = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(attn_output)


class HunYuanModel(nn.Module):
    def __init__(self, vocab_size=64, hidden_size=32, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(hidden_size) for _ in range(num_layers)])
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        batch_size, seq_length = input_ids.shape
        inputs_embeds = self.embed_tokens(input_ids)
        if attention_mask is not None or seq_length > 1:
            attention_mask = _prepare_4d_causal_attention_mask(
                attention_mask if attention_mask is not None else torch.ones(batch_size, seq_length, dtype=torch.long),
                (batch_size, seq_length), inputs_embeds,
            )
        hidden_states = inputs_embeds
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask)
        return self.lm_head(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanModel().eval()
    prompt = torch.randint(0, 64, (1, 9))
    edited = prompt.clone()
    edited[:, 6:] = torch.randint(0, 64, (1, 3))
    with torch.no_grad():
        d = (model(prompt)[:, :6] - model(edited)[:, :6]).abs().max().item()
    print(f"no attention_mask passed: max |d logits[:, :6]| after editing tokens 6.. = {d:.4f}")
