"""Packed training for a melody LM with flex_attention: several phrases share one row;
a token may attend only to earlier tokens of its own phrase."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


class PackedMelodyAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, phrase_id):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)

        def same_phrase_causal(b, h, q_idx, kv_idx):
            return (q_idx >= kv_idx) & (phrase_id[b, q_idx] == phrase_id[b, kv_idx])

        bm = create_block_mask(same_phrase_causal, B=B, H=None, Q_LEN=L, KV_LEN=L, device=x.device)
        return flex_attention(q, k, v, block_mask=bm).transpose(1, 2).reshape(B, L, D)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = PackedMelodyAttention()
    x = torch.randn(1, 12, 32)
    phrase = torch.tensor([[0] * 5 + [1] * 7])
    with torch.no_grad():
        packed = attn(x, phrase)
        first = attn(x[:, :5], phrase[:, :5])
        second = attn(x[:, 5:], phrase[:, 5:] - 1)
    assert torch.allclose(packed, torch.cat([first, second], 1), atol=1e-5)
    print("OK: packed result equals separate per-phrase causal attention")
