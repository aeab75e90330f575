"""Cross-attention over an encoder's output given the padding mask of the target tokens (the
queries' sequence), in two spellings: SDPA and nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, encoder_out, target_ids):
        b, t, d = x.shape
        s = encoder_out.size(1)
        target_real = target_ids != 0
        q = self.q(x).view(b, t, self.heads, -1).transpose(1, 2)
        k, v = self.kv(encoder_out).view(b, s, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=target_real[:, None, None, :])  # expect: ML503
        z, _ = self.cross(x, encoder_out, encoder_out, key_padding_mask=target_ids == 0)  # expect: ML503
        return y.transpose(1, 2).reshape(b, t, d) + z
