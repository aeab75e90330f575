"""RoBERTa encoder attention with a configurable boolean padding mask (dataclass config)."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class RobertaEncoderConf:
    embedding_dim: int = 32
    num_attention_heads: int = 4
    num_encoder_layers: int = 2
    padding_idx: int = 1
    vocab_size: int = 60
    dtype: torch.dtype = torch.float32


class MultiheadSelfAttention(nn.Module):
    def __init__(self, conf: RobertaEncoderConf):
        super().__init__()
        self.conf = conf
        self.input_projection = nn.Linear(conf.embedding_dim, 3 * conf.embedding_dim)
        self.output_projection = nn.Linear(conf.embedding_dim, conf.embedding_dim)

    def forward(self, query, key_padding_mask):
        b, t, d = query.shape
        h = self.conf.num_attention_heads
        q, k, v = self.input_projection(query).view(b, t, 3, h, -1).permute(2, 0, 3, 1, 4)
        attn_weights = q @ k.transpose(-1, -2) * (d // h) ** -0.5
        attn_mask = key_padding_mask[:, None, None, :].to(attn_weights.dtype)  # BUG
        attn_weights = attn_weights + attn_mask  # BUG
        out = attn_weights.softmax(-1) @ v
        return self.output_projection(out.transpose(1, 2).reshape(b, t, d))


class RobertaEncoder(nn.Module):
    def __init__(self, conf: RobertaEncoderConf):
        super().__init__()
        self.conf = conf
        self.embed = nn.Embedding(conf.vocab_size, conf.embedding_dim, padding_idx=conf.padding_idx)
        self.layers = nn.ModuleList(MultiheadSelfAttention(conf) for _ in range(conf.num_encoder_layers))

    def forward(self, tokens):
        padding_mask = tokens.eq(self.conf.padding_idx)
        x = self.embed(tokens).to(self.conf.dtype)
        for layer in self.layers:
            x = x + layer(x, padding_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = RobertaEncoder(RobertaEncoderConf()).eval()
    toks = torch.tensor([[0, 5, 6, 2, 1, 1], [0, 7, 8, 9, 10, 2]])
    with torch.no_grad():
        full = enc(toks)
        alone = enc(toks[:1, :4])
    print("padding ignored:", torch.allclose(full[0, :4], alone[0], atol=1e-5))
