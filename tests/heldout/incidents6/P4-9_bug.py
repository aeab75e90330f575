"""BERT-family encoder reused as a decoder (RoFormer/RemBert-style ForCausalLM head)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class EncoderConfig:
    vocab_size: int = 80
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    is_decoder: bool = False


def create_bidirectional_mask(attention_mask, dtype):
    """(B, S) 1/0 -> (B, 1, 1, S) additive."""
    inverted = 1.0 - attention_mask[:, None, None, :].to(dtype)
    return inverted.masked_fill(inverted.bool(), torch.finfo(dtype).min)


def create_causal_mask(attention_mask, dtype):
    """(B, S) 1/0 -> (B, 1, S, S) additive, causal and padding."""
    seq_len = attention_mask.shape[-1]
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device))
    allowed = causal[None, None] & attention_mask[:, None, None, :].bool()
    return torch.zeros(allowed.shape, dtype=dtype).masked_fill(~allowed, torch.finfo(dtype).min)


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size)
        self.out = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.ln = nn.LayerNorm(cfg.hidden_size)

    def forward(self, x, ext_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (D // self.h) ** 0.5 + ext_mask
        ctx = scores.softmax(-1) @ v
        return self.ln(x + self.out(ctx.transpose(1, 2).reshape(B, S, D)))


class EncoderModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([SelfAttention(cfg) for _ in range(cfg.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        hidden = self.embeddings(input_ids)
        ext_mask = create_bidirectional_mask(attention_mask, hidden.dtype)  # BUG
        for layer in self.layers:
            hidden = layer(hidden, ext_mask)
        return hidden


class EncoderForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        cfg.is_decoder = True
        self.model = EncoderModel(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size)

    def forward(self, input_ids, attention_mask=None, labels=None):
        logits = self.lm_head(self.model(input_ids, attention_mask))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = EncoderForCausalLM(EncoderConfig())
    ids = torch.randint(0, 80, (2, 8))
    loss, logits = model(ids, torch.ones_like(ids), labels=ids)
    loss.backward()
    print(loss.item(), logits.shape)
