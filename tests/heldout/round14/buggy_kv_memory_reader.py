"""Key-value memory reader for retrieval-augmented QA.

Retrieved passages are encoded offline into a variable number of memory slots per question;
the reader attends over the slots with hand-written multi-head attention. Serving runs the
reader in float16 to halve memory."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def stack_slots(slot_lists: List[torch.Tensor]):
    n = max(s.size(0) for s in slot_lists)
    mem = torch.stack([F.pad(s, (0, 0, 0, n - s.size(0))) for s in slot_lists])
    valid = torch.stack([torch.arange(n) < s.size(0) for s in slot_lists])
    return mem, valid


class MemoryAttention(nn.Module):
    def __init__(self, q_dim: int, m_dim: int, heads: int = 4, head_dim: int = 16):
        super().__init__()
        self.h, self.dh = heads, head_dim
        self.to_q = nn.Linear(q_dim, heads * head_dim, bias=False)
        self.to_kv = nn.Linear(m_dim, 2 * heads * head_dim, bias=False)
        self.out = nn.Linear(heads * head_dim, q_dim)

    def forward(self, query: torch.Tensor, memory: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        b, nq, _ = query.shape
        q = self.to_q(query).view(b, nq, self.h, self.dh).transpose(1, 2)
        k, v = self.to_kv(memory).view(b, memory.size(1), 2, self.h, self.dh).permute(2, 0, 3, 1, 4)
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k) * self.dh ** -0.5
        scores = scores.masked_fill(~valid[:, None, None, :], -1e9)  # expect: ML205
        attn = scores.softmax(dim=-1)
        ctx = torch.einsum("bhqk,bhkd->bhqd", attn, v)
        return self.out(ctx.transpose(1, 2).reshape(b, nq, self.h * self.dh))


class MemoryReader(nn.Module):
    def __init__(self, q_dim: int = 64, m_dim: int = 96, hops: int = 2, n_answers: int = 100):
        super().__init__()
        self.hops = nn.ModuleList(MemoryAttention(q_dim, m_dim) for _ in range(hops))
        self.norms = nn.ModuleList(nn.LayerNorm(q_dim) for _ in range(hops))
        self.answer = nn.Linear(q_dim, n_answers)

    def forward(self, question: torch.Tensor, memory: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        h = question[:, None]
        for attn, norm in zip(self.hops, self.norms):
            h = norm(h + attn(h, memory, valid))
        return self.answer(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    reader = MemoryReader()
    questions = torch.randn(3, 64)
    memory, valid = stack_slots([torch.randn(n, 96) for n in (12, 5, 9)])
    answers = torch.tensor([3, 41, 77])
    loss = F.cross_entropy(reader(questions, memory, valid), answers)
    loss.backward()
    print("fp32 train loss", round(loss.item(), 4))
    server = reader.half().eval()
    try:
        with torch.no_grad():
            pred = server(questions.half(), memory.half(), valid).argmax(-1)
        print("fp16 answers", pred.tolist())
    except RuntimeError as err:
        print("fp16 serving failed:", err)
