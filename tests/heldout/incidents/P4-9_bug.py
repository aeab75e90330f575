from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class RoFormerConfig:
    vocab_size: int = 23
    hidden_size: int = 8
    num_attention_heads: int = 2
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(config, input_embeds, attention_mask: Optional[torch.Tensor]):
    """(batch, 1, q_len, kv_len) boolean mask for sdpa, True = attend."""
    batch_size, seq_len = input_embeds.shape[:2]
    if attention_mask is None:
        attention_mask = torch.ones(batch_size, seq_len, dtype=torch.bool, device=input_embeds.device)
    return attention_mask.bool()[:, None, None, :].expand(-1, 1, seq_len, -1)


def create_causal_mask(config, input_embeds, attention_mask: Optional[torch.Tensor]):
    seq_len = input_embeds.shape[1]
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=input_embeds.device))
    return create_bidirectional_mask(config, input_embeds, attention_mask) & causal


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, n, d = hidden_states.shape
        split = lambda t: t.view(b, n, self.num_heads, d // self.num_heads).transpose(1, 2)
        q, k, v = split(self.query(hidden_states)), split(self.key(hidden_states)), split(self.value(hidden_states))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return out.transpose(1, 2).reshape(b, n, d)


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embeddings(input_ids)
        attention_mask = create_bidirectional_mask(self.config, hidden_states, attention_mask)  # BUG: decoder gets a bidirectional mask
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask)  # BUG: every position sees later tokens
        return self.lm_head(hidden_states)


def run():
    model = RoFormerForCausalLM(RoFormerConfig(is_decoder=True))
    input_ids = torch.randint(0, 23, (2, 5))
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    return model(input_ids, attention_mask=attention_mask)
