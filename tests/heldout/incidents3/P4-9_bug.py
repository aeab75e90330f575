from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class RoFormerConfig:
    vocab_size: int = 1000
    hidden_size: int = 128
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    is_decoder: bool = False


class RoFormerLayer(nn.Module):
    def __init__(self, cfg: RoFormerConfig):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size)
        self.out = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.ln1, self.ln2 = nn.LayerNorm(cfg.hidden_size), nn.LayerNorm(cfg.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(cfg.hidden_size, 4 * cfg.hidden_size), nn.GELU(), nn.Linear(4 * cfg.hidden_size, cfg.hidden_size))

    def forward(self, x, mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, s, d)
        x = self.ln1(x + self.out(a))
        return self.ln2(x + self.ffn(x))


class RoFormerForCausalLM(nn.Module):
    def __init__(self, cfg: RoFormerConfig):
        super().__init__()
        cfg.is_decoder = True
        self.config = cfg
        self.embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(RoFormerLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size)

    def get_extended_attention_mask(self, attention_mask):
        """(B, S) 1/0 -> (B, 1, S, S) bool mask for SDPA, True = may attend."""
        seq_len = attention_mask.size(1)
        mask = attention_mask.bool()[:, None, None, :].expand(-1, 1, seq_len, -1)  # BUG
        return mask

    def forward(self, input_ids, attention_mask):
        h = self.embeddings(input_ids)
        mask = self.get_extended_attention_mask(attention_mask)
        for layer in self.layers:
            h = layer(h, mask)
        return self.lm_head(h)


def training_step(model, batch, optimizer):
    logits = model(batch["input_ids"], batch["attention_mask"])
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
