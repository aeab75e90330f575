import torch
from torch import nn


class RoFormerConfig:
    def __init__(self, vocab_size=500, hidden_size=64, num_attention_heads=4, num_hidden_layers=2, is_decoder=False):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_hidden_layers = num_hidden_layers
        self.is_decoder = is_decoder


def create_bidirectional_mask(attention_mask, dtype):
    inverted = 1.0 - attention_mask[:, None, None, :].to(dtype)
    return inverted * torch.finfo(dtype).min


def create_causal_mask(attention_mask, dtype):
    seq_len = attention_mask.shape[-1]
    future = torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device).triu(1)
    blocked = future[None, None] | (attention_mask[:, None, None, :] == 0)
    return torch.zeros(blocked.shape, dtype=dtype, device=attention_mask.device).masked_fill(blocked, torch.finfo(dtype).min)


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask=None):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / self.head_dim ** 0.5
        if attention_mask is not None:
            scores = scores + attention_mask
        probs = scores.softmax(-1)
        return self.out((probs @ v).transpose(1, 2).reshape(b, s, -1))


class RoFormerPreTrainedModel(nn.Module):
    config_class = RoFormerConfig
    base_model_prefix = "roformer"

    def __init__(self, config):
        super().__init__()
        self.config = config


class RoFormerModel(RoFormerPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        hidden_states = self.embeddings(input_ids)
        if self.config.is_decoder:
            extended_attention_mask = create_causal_mask(attention_mask, hidden_states.dtype)
        else:
            extended_attention_mask = create_bidirectional_mask(attention_mask, hidden_states.dtype)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, extended_attention_mask)
        return hidden_states


class RoFormerForCausalLM(RoFormerPreTrainedModel):
    def __init__(self, config):
        config.is_decoder = True
        super().__init__(config)
        self.roformer = RoFormerModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.roformer(input_ids, attention_mask=attention_mask))
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten())
        return loss, logits
