"""Correct: a decoder's cross-attention mask built from both sides' padding
(q_pad[:, None, :, None] & k_pad[:, None, None, :], as Dia's create_attn_mask does) into SDPA in
float32: the padded target queries get no key, SDPA gives them 0, and the loss never reads them."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class CrossAttention(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.h = H
        self.q = nn.Linear(E, E)
        self.kv = nn.Linear(E, 2 * E)

    def forward(self, x, memory, x_keep, memory_keep):
        b, t, e = x.shape
        s = memory.size(1)
        q = self.q(x).view(b, t, self.h, -1).transpose(1, 2)
        k, v = self.kv(memory).view(b, s, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        mask = x_keep[:, None, :, None] & memory_keep[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return out.transpose(1, 2).reshape(b, t, e)


def _setup():
    torch.manual_seed(0)
    x_keep = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    memory_keep = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    return CrossAttention().eval(), torch.randn(2, 6, 16), torch.randn(2, 5, 16), x_keep, memory_keep


def run():
    m, x, memory, x_keep, memory_keep = _setup()
    with torch.no_grad():
        return (m(x, memory, x_keep, memory_keep),)


def verify():
    m, x, memory, x_keep, memory_keep = _setup()
    with torch.no_grad():
        a = m(x, memory, x_keep, memory_keep)
        alone = m(x[1:, :4], memory[1:, :3], x_keep[1:, :4], memory_keep[1:, :3])
    d = (a[1, :4] - alone[0]).abs().max().item()
    return d < 1e-5, f"real target queries, batched vs alone: {d}"
