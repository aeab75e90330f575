from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class RoFormerConfig:
    vocab_size: int = 40
    hidden_size: int = 16
    num_attention_heads: int = 2
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(config, input_embeds, attention_mask):
    return attention_mask[:, None, None, :].bool().expand(-1, 1, input_embeds.shape[1], -1)


def create_causal_mask(config, input_embeds, attention_mask):
    q_len = input_embeds.shape[1]
    causal = torch.ones(q_len, attention_mask.shape[-1], dtype=torch.bool).tril()
    return create_bidirectional_mask(config, input_embeds, attention_mask) & causal


class RoFormerLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h, self.d = config.num_attention_heads, config.hidden_size // config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, t, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.h, self.d).permute(2, 0, 3, 1, 4)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.norm(hidden_states + self.out(ctx.transpose(1, 2).reshape(b, t, -1)))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(RoFormerLayer(config) for _ in range(config.num_hidden_layers))

    def forward(self, input_ids, attention_mask=None):
        embedding_output = self.embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        attention_mask = create_bidirectional_mask(self.config, embedding_output, attention_mask)  # BUG
        hidden_states = embedding_output
        for layer in self.layers:
            hidden_states = layer(hidden_states, attention_mask)
        return hidden_states


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        config.is_decoder = True
        self.roformer = RoFormerModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.roformer(input_ids, attention_mask))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig()).eval()
    batch = torch.randint(0, 40, (2, 10))
    with torch.no_grad():
        logits = model(batch)
        changed = batch.clone()
        changed[:, 5:] = torch.randint(0, 40, (2, 5))
        logits2 = model(changed)
    print(f"CLM future-token leak into positions 0-4: {(logits[:, :5] - logits2[:, :5]).abs().max().item():.4f}")
