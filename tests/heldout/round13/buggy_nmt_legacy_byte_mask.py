"""Legacy NMT encoder ported from a 2018 codebase (seq-first, ByteTensor masks)."""
import math

import torch
import torch.nn as nn

PAD = 1


class EncoderLayer(nn.Module):
    def __init__(self, embed_dim, heads, ffn_dim, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.attn_ln = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.ffn_ln = nn.LayerNorm(embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, encoder_padding_mask):
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x,
                              key_padding_mask=encoder_padding_mask)  # expect: ML203
        x = self.attn_ln(residual + self.dropout(x))
        residual = x
        x = self.fc2(torch.relu(self.fc1(x)))
        return self.ffn_ln(residual + self.dropout(x))


class TransformerEncoder(nn.Module):
    def __init__(self, vocab, embed_dim=256, heads=4, layers=3):
        super().__init__()
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=PAD)
        self.layers = nn.ModuleList(EncoderLayer(embed_dim, heads, 1024) for _ in range(layers))

    def forward(self, src_tokens):  # (N, S)
        x = self.embed_scale * self.embed_tokens(src_tokens)
        x = x.transpose(0, 1)  # T x B x C
        encoder_padding_mask = src_tokens.eq(PAD).byte()
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        return {"encoder_out": x, "encoder_padding_mask": encoder_padding_mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    src = torch.randint(4, 8000, (5, 30))
    src[1, 22:] = PAD
    src[3, 9:] = PAD
    enc = TransformerEncoder(8000)
    try:
        out = enc(src)
        print("encoder_out", tuple(out["encoder_out"].shape))
    except AssertionError as err:
        print("encoder failed:", err)
