"""modeling_roformer.py (excerpt, v5-style mask creation).  RoFormerModel is
shared by the encoder classes and RoFormerForCausalLM; with
config.is_decoder the self-attention mask must be causal."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class RoFormerConfig:
    vocab_size: int = 50
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(config, input_embeds, attention_mask):
    """bool [B, 1, Q, K], True = attend."""
    b, q = input_embeds.shape[:2]
    if attention_mask is None:
        return None
    return attention_mask.bool()[:, None, None, :].expand(b, 1, q, -1)


def create_causal_mask(config, input_embeds, attention_mask):
    b, q = input_embeds.shape[:2]
    causal = torch.ones(q, q, dtype=torch.bool, device=input_embeds.device).tril()[None, None]
    if attention_mask is None:
        return causal.expand(b, 1, q, q)
    return causal & attention_mask.bool()[:, None, None, :]


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask=None):
        b, s, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return hidden_states + self.out(o.transpose(1, 2).reshape(b, s, d))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers))

    def forward(self, input_ids, attention_mask=None):
        embeds = self.embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        attention_mask = create_bidirectional_mask(config=self.config, input_embeds=embeds, attention_mask=attention_mask)  # BUG
        h = embeds
        for layer in self.layers:
            h = layer(h, attention_mask=attention_mask)
        return h


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        config.is_decoder = True
        self.roformer = RoFormerModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None):
        return self.lm_head(self.roformer(input_ids, attention_mask=attention_mask))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig()).eval()
    ids = torch.randint(0, 50, (2, 7))
    ids2 = ids.clone(); ids2[:, -1] = (ids2[:, -1] + 1) % 50
    with torch.no_grad():
        a, b = model(ids), model(ids2)
    print("prefix logit change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
