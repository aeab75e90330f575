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


def create_bidirectional_mask(config, inputs_embeds, attention_mask):
    """(B, 1, Q, KV) bool, True = attend; only padding is masked."""
    if attention_mask is None:
        return None
    q_len = inputs_embeds.shape[1]
    return attention_mask.bool()[:, None, None, :].expand(-1, 1, q_len, -1)


def create_causal_mask(config, inputs_embeds, attention_mask):
    q_len = inputs_embeds.shape[1]
    causal = torch.ones(q_len, q_len, dtype=torch.bool, device=inputs_embeds.device).tril()[None, None]
    if attention_mask is None:
        return causal
    return causal & attention_mask.bool()[:, None, None, :]


class RoFormerLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.h, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return x + self.out(y.transpose(1, 2).reshape(b, n, d))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(RoFormerLayer(config) for _ in range(config.num_hidden_layers))

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embeddings(input_ids)
        attention_mask = create_bidirectional_mask(self.config, hidden_states, attention_mask)  # BUG
        for layer in self.layers:
            hidden_states = layer(hidden_states, attention_mask)
        return hidden_states


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
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
    model = RoFormerForCausalLM(RoFormerConfig(is_decoder=True))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(150):
        ids = torch.randint(0, 64, (16, 12))  # random tokens: nothing to learn
        loss, _ = model(ids, torch.ones_like(ids), labels=ids)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("CLM loss on random tokens:", round(loss.item(), 3), "(chance = ln 64 = 4.16)")
