import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerEncoderLayer(nn.Module):
    """fairseq-style encoder layer, (T, B, C) in and out."""

    def __init__(self, embed_dim=64, heads=4, ffn_dim=256, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.ln1, self.ln2 = nn.LayerNorm(embed_dim), nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)

    def forward(self, x, encoder_padding_mask=None, attn_mask=None):
        """attn_mask: (T, T) float, 1.0 = do not attend (local window)."""
        kpm = encoder_padding_mask
        if attn_mask is not None:
            fill = -1e8 if x.dtype == torch.float32 else -1e4
            attn_mask = attn_mask.to(x.dtype).masked_fill(attn_mask.to(torch.bool), fill)
            if kpm is not None:
                kpm = torch.zeros(kpm.shape, dtype=x.dtype, device=x.device).masked_fill(kpm, fill)
        residual = x
        x, _ = self.self_attn(x, x, x, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=False)
        x = self.ln1(residual + x)
        return self.ln2(x + self.fc2(F.relu(self.fc1(x))))


def local_window_mask(seq_len, window):
    idx = torch.arange(seq_len)
    return ((idx[None, :] - idx[:, None]).abs() > window).float()


if __name__ == "__main__":
    torch.manual_seed(0)
    T, B, C = 10, 2, 64
    layer = TransformerEncoderLayer(C).half()
    x = torch.randn(T, B, C).half()
    pad = torch.zeros(B, T, dtype=torch.bool)
    pad[1, 7:] = True
    out = layer(x, encoder_padding_mask=pad, attn_mask=local_window_mask(T, 2).half())
    print(out.dtype, tuple(out.shape), "finite:", bool(torch.isfinite(out[:, 0]).all()))
