import math

import torch
from torch import nn


class RoFormerConfig:
    vocab_size = 100
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    is_decoder = True


def create_bidirectional_mask(config, input_embeds, attention_mask):
    dtype = input_embeds.dtype
    keep = attention_mask[:, None, None, :].bool()
    return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


def create_causal_mask(config, input_embeds, attention_mask):
    dtype = input_embeds.dtype
    seq_len = input_embeds.shape[1]
    keep = attention_mask[:, None, None, :].bool() & torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool))
    return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


class RoFormerSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, hidden_states, attention_mask=None):
        b, n, _ = hidden_states.shape
        q, k, v = (p(hidden_states).view(b, n, self.num_heads, self.head_dim).transpose(1, 2) for p in (self.query, self.key, self.value))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            scores = scores + attention_mask
        probs = scores.softmax(-1)
        return (probs @ v).transpose(1, 2).reshape(b, n, -1)


class RoFormerModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(RoFormerSelfAttention(config) for _ in range(config.num_hidden_layers))

    def forward(self, input_ids, attention_mask=None):
        embedding_output = self.embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones(input_ids.shape, dtype=torch.long)
        mask_fn = create_causal_mask if self.config.is_decoder else create_bidirectional_mask
        extended_attention_mask = mask_fn(
            config=self.config, input_embeds=embedding_output, attention_mask=attention_mask
        )
        hidden = embedding_output
        for layer in self.layers:
            hidden = hidden + layer(hidden, attention_mask=extended_attention_mask)
        return hidden


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.roformer = RoFormerModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.roformer(input_ids, attention_mask))
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits


if __name__ == "__main__":
    model = RoFormerForCausalLM(RoFormerConfig())
    ids = torch.randint(0, 100, (2, 8))
    loss, logits = model(ids, labels=ids)
    print(logits.shape, loss.item() > 0)
