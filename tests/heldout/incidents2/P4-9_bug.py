from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class RoFormerConfig:
    vocab_size: int = 50000
    hidden_size: int = 384
    num_attention_heads: int = 6
    num_hidden_layers: int = 4
    is_decoder: bool = False


def create_bidirectional_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class RoFormerModel(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads, batch_first=True)
            for _ in range(config.num_hidden_layers)
        ])

    def forward(self, input_ids: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        hidden = self.embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        extended = create_bidirectional_mask(attention_mask, hidden.dtype)  # BUG: ignores config.is_decoder
        mask = extended.expand(-1, self.config.num_attention_heads, input_ids.size(1), -1)
        mask = mask.reshape(-1, input_ids.size(1), input_ids.size(1))
        for layer in self.layers:
            hidden = layer(hidden, src_mask=mask)
        return hidden


class RoFormerForCausalLM(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        config.is_decoder = True
        self.roformer = RoFormerModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.roformer(input_ids, attention_mask))
        if labels is None:
            return logits
        shift = logits[:, :-1].reshape(-1, logits.size(-1))
        return nn.functional.cross_entropy(shift, labels[:, 1:].reshape(-1))


if __name__ == "__main__":
    model = RoFormerForCausalLM(RoFormerConfig(vocab_size=1000))
    ids = torch.randint(0, 1000, (2, 16))
    print(model(ids, labels=ids).item())
