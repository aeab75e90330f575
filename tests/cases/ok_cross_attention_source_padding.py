"""Cross-attention over an encoder's output given the padding mask of the source tokens: correct
(and the target's own padding goes to the self-attention over the target)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, encoder_out, source_ids, target_ids):
        b, t, d = x.shape
        s = encoder_out.size(1)
        x = x + self.self_attn(x, x, x, key_padding_mask=target_ids == 0)[0]
        source_real = source_ids != 0
        q = self.q(x).view(b, t, self.heads, -1).transpose(1, 2)
        k, v = self.kv(encoder_out).view(b, s, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=source_real[:, None, None, :])
        z, _ = self.cross(x, encoder_out, encoder_out, key_padding_mask=source_ids == 0)
        return y.transpose(1, 2).reshape(b, t, d) + z
