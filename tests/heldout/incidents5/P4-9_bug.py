"""RoFormer-style encoder reused as a causal LM via an `is_decoder` config flag."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class RoFormerConfig:
    vocab_size: int = 100
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(attention_mask, dtype):
    inverted = 1.0 - attention_mask[:, None, None, :].to(dtype)
    return inverted * torch.finfo(dtype).min


def create_causal_mask(attention_mask, dtype):
    L = attention_mask.shape[1]
    causal = torch.ones(L, L, dtype=torch.bool, device=attention_mask.device).tril()
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


class RoFormerModel(nn.Module):
    def __init__(self, config: RoFormerConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(
            nn.MultiheadAttention(config.hidden_size, config.num_attention_heads, batch_first=True)
            for _ in range(config.num_hidden_layers)
        )

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.embeddings(input_ids)
        mask = create_bidirectional_mask(attention_mask, h.dtype)  # BUG
        n = self.config.num_attention_heads
        mask3d = mask.expand(-1, n, input_ids.shape[1], -1).reshape(-1, input_ids.shape[1], input_ids.shape[1])
        for attn in self.layers:
            h = h + attn(h, h, h, attn_mask=mask3d, need_weights=False)[0]  # BUG
        return h


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
            loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten())
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RoFormerForCausalLM(RoFormerConfig()).eval()
    ids = torch.randint(0, 100, (2, 8))
    ids2 = ids.clone()
    ids2[:, 4:] = 3
    with torch.no_grad():
        a, b = model(ids)[1], model(ids2)[1]
    print("causal:", torch.allclose(a[:, :4], b[:, :4], atol=1e-5))
