"""Correct: DETR-like decoder: learned object queries (no causal mask), memory_key_padding_mask for image padding."""
import torch
import torch.nn as nn

KIND = "correct"


class DETRHead(nn.Module):
    def __init__(self, E=16, H=2, num_queries=5):
        super().__init__()
        self.query_embed = nn.Embedding(num_queries, E)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, 32, dropout=0.1), 2)
        self.bbox = nn.Linear(E, 4)

    def forward(self, memory, mem_pad):  # memory: (S, N, E); mem_pad: (N, S)
        N = memory.size(1)
        tgt = self.query_embed.weight[:, None, :].repeat(1, N, 1)
        hs = self.decoder(tgt, memory, memory_key_padding_mask=mem_pad)
        return self.bbox(hs).sigmoid()


def _setup():
    torch.manual_seed(0)
    memory = torch.randn(8, 2, 16)
    mem_pad = torch.arange(8)[None, :] >= torch.tensor([8, 5])[:, None]
    return DETRHead().train(), memory, mem_pad


def run():
    m, mem, pad = _setup()
    torch.manual_seed(6)
    return (m(mem, pad),)


def verify():
    m, mem, pad = _setup()
    torch.manual_seed(6)
    a = m(mem, pad)
    mem2 = mem.clone()
    mem2[5:, 1] += 1.0
    torch.manual_seed(6)
    b = m(mem2, pad)
    d = (a[:, 1] - b[:, 1]).abs().max().item()
    return d == 0.0, f"sample 1 outputs moved by {d} when padded memory changed"
