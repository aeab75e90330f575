"""Streaming speech encoder with a fixed-size memory bank of past chunk summaries.

Each incoming chunk reads the memory bank through cross-attention, then its summary is pushed
into the bank (FIFO). The bank starts empty at the beginning of an utterance.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class StreamState:
    memory: torch.Tensor       # (B, M, D)
    memory_pad: torch.Tensor   # (B, M) True = slot not filled yet


class MemoryBankEncoder(nn.Module):
    def __init__(self, n_mels=40, dim=64, heads=4, slots=4):
        super().__init__()
        self.slots = slots
        self.inp = nn.Linear(n_mels, dim)
        self.local = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True)
        self.mem_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.summarise = nn.Linear(dim, dim)

    def init_state(self, batch_size: int) -> StreamState:
        d = self.inp.out_features
        return StreamState(torch.zeros(batch_size, self.slots, d), torch.ones(batch_size, self.slots, dtype=torch.bool))

    def forward_chunk(self, chunk: torch.Tensor, state: StreamState):
        x = self.local(self.inp(chunk))
        ctx, _ = self.mem_attn(x, state.memory, state.memory, key_padding_mask=state.memory_pad)  # expect: ML601
        x = x + ctx
        summary = self.summarise(x.mean(1, keepdim=True))
        memory = torch.cat([state.memory[:, 1:], summary], 1)
        memory_pad = torch.cat([state.memory_pad[:, 1:], torch.zeros_like(state.memory_pad[:, :1])], 1)
        return x, StreamState(memory, memory_pad)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = MemoryBankEncoder().eval()
    feats = torch.randn(2, 24, 40)
    state = enc.init_state(2)
    with torch.no_grad():
        for i in range(0, 24, 8):
            out, state = enc.forward_chunk(feats[:, i : i + 8], state)
            print("chunk", i // 8, "finite:", torch.isfinite(out).all().item())
