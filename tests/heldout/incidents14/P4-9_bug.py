from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class RoFormerConfig:
    vocab_size: int = 40
    hidden_size: int = 16
    num_attention_heads: int = 2
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(config, input_embeds, attention_mask):
    """4D boolean mask (True = attend) that only hides padded keys."""
    batch_size, seq_len = input_embeds.shape[:2]
    if attention_mask is None:
        attention_mask = torch.ones(batch_size, seq_len, dtype=torch.bool, device=input_embeds.device)
    return attention_mask.bool()[:, None, None, :].expand(batch_size, 1, seq_len, seq_len)


def create_causal_mask(config, input_embeds, attention_mask):
    """4D boolean mask (True = attend) that hides padded keys and future positions."""
    seq_len = input_embeds.shape[1]
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=input_embeds.device).tril()
    return create_bidirectional_mask(config, input_embeds, attention_mask) & causal


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, n, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, n, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        ctx = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.norm(hidden_states + self.dense(ctx.transpose(1, 2).reshape(b, n, d)))


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layer = nn.ModuleList([RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        embedding_output = self.embeddings(input_ids)
        attention_mask = create_bidirectional_mask(  # BUG
            config=self.config, input_embeds=embedding_output, attention_mask=attention_mask
        )
        hidden_states = embedding_output
        for layer_module in self.layer:
            hidden_states = layer_module(hidden_states, attention_mask)
        return hidden_states


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
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
    input_ids = torch.randint(0, 40, (2, 6))
    edited = input_ids.clone()
    edited[:, 3:] = torch.randint(0, 40, (2, 3))
    with torch.no_grad():
        leak = (model(input_ids)[1] - model(edited)[1])[:, :3].abs().max().item()
    print(f"CLM future leak into logits of positions 0-2: {leak:.4f}")
