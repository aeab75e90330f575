import torch
import torch.nn.functional as F
from torch import nn

from .configuration_roformer import RoFormerConfig
from .masking_utils import create_bidirectional_mask, create_causal_mask


def rotate_half(x):
    x1, x2 = x[..., ::2], x[..., 1::2]
    return torch.stack((-x2, x1), dim=-1).flatten(-2)


class RoFormerSinusoidalPositionalEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def forward(self, seq_len):
        freqs = torch.outer(torch.arange(seq_len, dtype=torch.float), self.inv_freq)
        emb = torch.repeat_interleave(freqs, 2, dim=-1)
        return emb.sin(), emb.cos()


class RoFormerLayer(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))
        self.ln2 = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask, sinusoidal_pos):
        b, t, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        sin, cos = sinusoidal_pos
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        hidden_states = self.ln1(hidden_states + self.out(ctx.transpose(1, 2).reshape(b, t, -1)))
        return self.ln2(hidden_states + self.ffn(hidden_states))


class RoFormerModel(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.embed_positions = RoFormerSinusoidalPositionalEmbedding(config.hidden_size // config.num_attention_heads)
        self.layers = nn.ModuleList([RoFormerLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        seq_len = input_ids.shape[1]
        mask_fn = create_causal_mask if self.config.is_decoder else create_bidirectional_mask
        mask = mask_fn(attention_mask, seq_len)
        hidden_states = self.embeddings(input_ids)
        pos = self.embed_positions(seq_len)
        for layer in self.layers:
            hidden_states = layer(hidden_states, mask, pos)
        return hidden_states


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        config.is_decoder = True
        self.roformer = RoFormerModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.roformer(input_ids, attention_mask))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits
