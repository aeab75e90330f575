"""Buggy: a TTS-style cross-attention with a diagonal window, mel frame t attending to the text
keys within 1 of t * T_text / T_mel, limited to the sample's real text. The ratio uses the padded
text length for every sample, so the short sample's last real mel frames look past its text and
get no key at all (their context is exactly 0). No mel frame is padding: the rows that die are
real queries, and the queries that live see different keys (not a query padding mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class AlignedCrossAttention(nn.Module):
    def __init__(self, E=8, H=2):
        super().__init__()
        self.h = H
        self.q = nn.Linear(E, E)
        self.kv = nn.Linear(E, 2 * E)

    def forward(self, mel, text, text_len):
        n, tm, e = mel.shape
        tt = text.size(1)
        q = self.q(mel).view(n, tm, self.h, -1).transpose(1, 2)
        k, v = self.kv(text).view(n, tt, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        center = torch.arange(tm)[:, None].float() * tt / tm
        window = (torch.arange(tt)[None, :].float() - center).abs() <= 1.0
        real = torch.arange(tt)[None, :] < text_len[:, None]
        keep = window[None, None] & real[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML601
        return out.transpose(1, 2).reshape(n, tm, e)


def _setup():
    torch.manual_seed(0)
    return AlignedCrossAttention().eval(), torch.randn(2, 8, 8), torch.randn(2, 6, 8), torch.tensor([6, 3])


def run():
    m, mel, text, text_len = _setup()
    with torch.no_grad():
        return (m(mel, text, text_len),)


def verify():
    m, mel, text, text_len = _setup()
    with torch.no_grad():
        out = m(mel, text, text_len)
    dead = (out[1] == m.q.bias.new_zeros(1)).all(-1)
    return bool(dead[-3:].all()), f"real mel frames with a zero context: {int(dead.sum())}"
