from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn


@dataclass
class RoFormerConfig:
    vocab_size: int = 60
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    intermediate_size: int = 64
    is_decoder: bool = False
    _attn_implementation: str = "eager"


def create_bidirectional_mask(config, input_embeds, attention_mask: Optional[torch.Tensor]):
    if attention_mask is None:
        return None
    dtype = input_embeds.dtype
    keep = attention_mask[:, None, None, :].bool()
    return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


def create_causal_mask(config, input_embeds, attention_mask: Optional[torch.Tensor]):
    dtype = input_embeds.dtype
    b, q_len = input_embeds.shape[:2]
    keep = torch.ones(q_len, q_len, dtype=torch.bool).tril()[None, None]
    if attention_mask is not None:
        keep = keep & attention_mask[:, None, None, :].bool()
    return torch.zeros(keep.expand(b, 1, q_len, q_len).shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


class RoFormerSinusoidalPositionalEmbedding(nn.Module):
    def __init__(self, num_positions, embedding_dim):
        super().__init__()
        inv = 1.0 / (10000 ** (torch.arange(0, embedding_dim, 2).float() / embedding_dim))
        pos = torch.arange(num_positions).float()[:, None] * inv[None, :]
        self.register_buffer("sin", pos.sin(), persistent=False)
        self.register_buffer("cos", pos.cos(), persistent=False)

    def forward(self, seq_len):
        return self.sin[:seq_len], self.cos[:seq_len]


def apply_rotary(x, sin, cos):
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_attention_heads = config.num_attention_heads
        self.attention_head_size = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask, sinusoidal_pos):
        b, n, _ = hidden_states.shape
        shape = (b, n, self.num_attention_heads, self.attention_head_size)
        q = self.query(hidden_states).view(shape).transpose(1, 2)
        k = self.key(hidden_states).view(shape).transpose(1, 2)
        v = self.value(hidden_states).view(shape).transpose(1, 2)
        sin, cos = sinusoidal_pos
        q, k = apply_rotary(q, sin, cos), apply_rotary(k, sin, cos)
        scores = q @ k.transpose(-1, -2) / self.attention_head_size ** 0.5
        if attention_mask is not None:
            scores = scores + attention_mask
        probs = scores.softmax(-1)
        ctx = (probs @ v).transpose(1, 2).reshape(b, n, -1)
        return self.dense(ctx)


class RoFormerLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = RoFormerSelfAttention(config)
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(), nn.Linear(config.intermediate_size, config.hidden_size))
        self.ln2 = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask, sinusoidal_pos):
        h = self.ln1(hidden_states + self.attention(hidden_states, attention_mask, sinusoidal_pos))
        return self.ln2(h + self.ffn(h))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.embed_positions = RoFormerSinusoidalPositionalEmbedding(64, config.hidden_size // config.num_attention_heads)
        self.layer = nn.ModuleList([RoFormerLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        embedding_output = self.embeddings(input_ids)
        mask_fn = create_bidirectional_mask  # BUG
        extended_attention_mask = mask_fn(config=self.config, input_embeds=embedding_output, attention_mask=attention_mask)
        sinusoidal_pos = self.embed_positions(input_ids.shape[1])
        hidden_states = embedding_output
        for layer_module in self.layer:
            hidden_states = layer_module(hidden_states, extended_attention_mask, sinusoidal_pos)
        return hidden_states


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        if not config.is_decoder:
            config.is_decoder = True
        self.roformer = RoFormerModel(config)
        self.cls = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.cls(self.roformer(input_ids, attention_mask))
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig()).eval()
    ids = torch.randint(0, 60, (2, 8))
    am = torch.ones_like(ids)
    ids2 = ids.clone()
    ids2[:, -1] = (ids2[:, -1] + 1) % 60
    with torch.no_grad():
        _, a = model(ids, am)
        _, b = model(ids2, am)
    print(f"prefix logit change when last token changes: {(a[:, :-1] - b[:, :-1]).abs().max().item():.3e}")
