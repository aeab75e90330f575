import math

import torch
import torch.nn as nn


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, inputs_embeds, past_key_values_length):
    bsz, tgt_len = input_shape
    dtype = inputs_embeds.dtype
    min_val = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_val, dtype=dtype).triu(1)
    expanded = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal[None, None] + expanded).clamp(min=min_val)


class HunYuanAttention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        q, k, v = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        attn_output = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(attn_output)


class HunYuanForCausalLM(nn.Module):
    def __init__(self, vocab_size=50, hidden_size=16, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(HunYuanAttention(hidden_size) for _ in range(num_layers))
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        if attention_mask is not None:
            attention_mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, inputs_embeds, 0)
        hidden_states = inputs_embeds
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=attention_mask)
        return self.lm_head(hidden_states)


def score_continuation(model, input_ids):
    """Per-token log-probabilities of a prompt, as used by the chat script before generation."""
    attention_mask = torch.ones_like(input_ids)
    with torch.no_grad():
        logits = model(input_ids)  # BUG
    logprobs = torch.log_softmax(logits[:, :-1], dim=-1)
    return logprobs.gather(-1, input_ids[:, 1:, None]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanForCausalLM().eval()
    prompt = torch.randint(0, 50, (1, 8))
    lp = score_continuation(model, prompt)
    changed = prompt.clone()
    changed[:, -1] = (changed[:, -1] + 1) % 50
    lp2 = score_continuation(model, changed)
    print(f"log-prob change at positions 1-6 after editing the last token: {(lp[:, :-1] - lp2[:, :-1]).abs().max().item():.4f}")
