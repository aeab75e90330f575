import torch
from torch import nn


class Qwen3Config:
    def __init__(self, vocab_size=256, hidden_size=64, num_attention_heads=4, num_hidden_layers=2, attn_implementation="eager"):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_hidden_layers = num_hidden_layers
        self._attn_implementation = attn_implementation


def create_causal_mask(config, input_embeds, attention_mask):
    bsz, q_len = input_embeds.shape[:2]
    idx = torch.arange(q_len, device=input_embeds.device)
    allowed = idx[None, :] <= idx[:, None]
    if attention_mask is not None:
        allowed = allowed[None, None] & attention_mask[:, None, None, :].bool()
    else:
        allowed = allowed[None, None].expand(bsz, 1, -1, -1)
    return allowed


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0, **kwargs):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG
    attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = nn.functional.dropout(attn_weights, p=dropout, training=module.training)
    attn_output = torch.matmul(attn_weights, value).transpose(1, 2).contiguous()
    return attn_output, attn_weights


class Qwen3Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.scaling = self.head_dim ** -0.5
        self.qkv_proj = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.q_norm = nn.RMSNorm(self.head_dim, eps=1e-6)
        self.k_norm = nn.RMSNorm(self.head_dim, eps=1e-6)

    def forward(self, hidden_states, attention_mask=None, **kwargs):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(b, s, 3, -1, self.head_dim).unbind(2)
        q, k, v = self.q_norm(q).transpose(1, 2), self.k_norm(k).transpose(1, 2), v.transpose(1, 2)
        out, weights = eager_attention_forward(self, q, k, v, attention_mask, self.scaling, **kwargs)
        return self.o_proj(out.reshape(b, s, -1)), weights


class Qwen3PreTrainedModel(nn.Module):
    config_class = Qwen3Config
    _supports_sdpa = True

    def __init__(self, config):
        super().__init__()
        self.config = config


class Qwen3ForCausalLM(Qwen3PreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Qwen3Attention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size, eps=1e-6)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embed_tokens(input_ids)
        causal_mask = create_causal_mask(self.config, hidden_states, attention_mask)  # BUG
        for layer in self.layers:
            out, _ = layer(hidden_states, attention_mask=causal_mask)
            hidden_states = hidden_states + out
        return self.lm_head(self.norm(hidden_states))
