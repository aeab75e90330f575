import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def _shape(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask=None):
        """attention_mask: (b, 1, q, kv) additive mask (0 / finfo.min), causal and padding."""
        q, k, v = (self._shape(p(hidden_states)) for p in (self.q_proj, self.k_proj, self.v_proj))
        attn = (q @ k.transpose(2, 3)) / self.head_dim ** 0.5
        if attention_mask is not None:
            attn = attn + attention_mask
        out = attn.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(hidden_states.shape))


def prepare_decoder_attention_mask(attention_mask, seq_len, dtype):
    min_value = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_value).triu(1)
    padding = (1 - attention_mask[:, None, None, :].to(dtype)) * min_value
    return (causal[None, None] + padding).clamp(min=min_value)


class LlamaForCausalLM(nn.Module):
    def __init__(self, vocab_size=64, hidden_size=32, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(hidden_size) for _ in range(num_layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(hidden_size) for _ in range(num_layers)])
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        mask = prepare_decoder_attention_mask(attention_mask, input_ids.shape[1], h.dtype)
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), attention_mask=mask)
        return self.lm_head(h)
