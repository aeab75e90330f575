"""Text-to-speech acoustic decoder: autoregressive over codec frames, padded batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FrameSelfAttention(nn.Module):
    def __init__(self, dim=512, heads=8, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, frame_valid):
        # frame_valid: (B, T) bool, True for real frames
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(  # expect: ML403
            q, k, v,
            attn_mask=frame_valid[:, None, None, :],
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=True,
        )
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class TextCrossAttention(nn.Module):
    def __init__(self, dim=512, heads=8):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, text, text_valid):
        B, T, D = x.shape
        S = text.size(1)
        q = self.q(x).view(B, T, self.heads, -1).transpose(1, 2)
        k, v = self.kv(text).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=text_valid[:, None, None, :])
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class AcousticDecoder(nn.Module):
    def __init__(self, n_codes=1024, dim=512, depth=6):
        super().__init__()
        self.code_emb = nn.Embedding(n_codes + 1, dim)
        self.sa = nn.ModuleList(FrameSelfAttention(dim) for _ in range(depth))
        self.ca = nn.ModuleList(TextCrossAttention(dim) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(2 * depth))
        self.head = nn.Linear(dim, n_codes + 1)

    def forward(self, codes, frame_valid, text, text_valid):
        x = self.code_emb(codes)
        for i, (sa, ca) in enumerate(zip(self.sa, self.ca)):
            x = x + sa(self.ln[2 * i](x), frame_valid)
            x = x + ca(self.ln[2 * i + 1](x), text, text_valid)
        return self.head(x)
