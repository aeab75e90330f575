from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class RoFormerConfig:
    vocab_size: int = 64
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(config, input_embeds, attention_mask):
    return attention_mask[:, None, None, :].bool().expand(-1, 1, input_embeds.shape[1], -1)


def create_causal_mask(config, input_embeds, attention_mask):
    seq_len = input_embeds.shape[1]
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    return causal[None, None] & attention_mask[:, None, None, :].bool()


class RoFormerLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, n, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, n, 3, self.num_heads, d // self.num_heads).permute(2, 0, 3, 1, 4)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.norm(hidden_states + self.out(ctx.transpose(1, 2).reshape(b, n, d)))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([RoFormerLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones(input_ids.shape, dtype=torch.long)
        attention_mask = (create_causal_mask if self.config.is_decoder else create_bidirectional_mask)(self.config, inputs_embeds, attention_mask)
        hidden_states = inputs_embeds
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
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig()).eval()
    ids = torch.randint(0, 64, (2, 10))
    edited = ids.clone()
    edited[:, 5:] = torch.randint(0, 64, (2, 5))
    with torch.no_grad():
        d = (model(ids)[1][:, :5] - model(edited)[1][:, :5]).abs().max().item()
    print(f"CausalLM leak: max |d logits[:, :5]| after editing tokens 5.. = {d:.4f}")
