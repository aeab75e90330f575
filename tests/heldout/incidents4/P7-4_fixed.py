import torch
import torch.nn as nn
import torch.nn.functional as F


class FalconConfig:
    def __init__(self, vocab_size=300, hidden_size=64, num_attention_heads=4, num_hidden_layers=2):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_hidden_layers = num_hidden_layers
        self._attn_implementation = "sdpa"


def prepare_4d_causal_attention_mask(attention_mask, seq_len, dtype):
    min_dtype = torch.finfo(dtype).min
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device).triu(1)
    blocked = causal[None, None] | (attention_mask[:, None, None, :] == 0)
    return torch.zeros(blocked.shape, dtype=dtype, device=attention_mask.device).masked_fill(blocked, min_dtype)


def unmask_unattended(expanded_mask, min_dtype):
    fully_masked = torch.all(expanded_mask == min_dtype, dim=-1, keepdim=True)
    return expanded_mask.mul(~fully_masked)


class FalconAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q, k, v = self.query_key_value(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=0.0)
        return self.dense(out.transpose(1, 2).reshape(b, s, -1))


class FalconPreTrainedModel(nn.Module):
    config_class = FalconConfig
    _supports_sdpa = True

    def __init__(self, config):
        super().__init__()
        self.config = config


class FalconModel(FalconPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList([FalconAttention(config) for _ in range(config.num_hidden_layers)])
        self.ln_f = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.word_embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        causal_mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.shape[1], hidden_states.dtype)
        causal_mask = unmask_unattended(causal_mask, torch.finfo(hidden_states.dtype).min)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, causal_mask)
        return self.ln_f(hidden_states)


class FalconForCausalLM(FalconPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.transformer = FalconModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        return self.lm_head(self.transformer(input_ids, attention_mask=attention_mask))
