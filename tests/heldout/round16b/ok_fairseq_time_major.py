import torch
import torch.nn as nn


class ConvTBCEncoderWithAttention(nn.Module):
    """Time-major (T x B x C) encoder; fairseq-style padding mask transposed for MHA."""

    def __init__(self, vocab=200, dim=64, heads=4, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed = nn.Embedding(vocab, dim, padding_idx)
        self.conv = nn.Conv1d(dim, dim, 3, padding=1)
        self.self_attn = nn.MultiheadAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)

    def forward(self, src_tokens):
        x = self.embed(src_tokens).masked_fill(src_tokens.eq(self.padding_idx).unsqueeze(-1), 0.0)
        x = self.conv(x.permute(1, 2, 0)).permute(2, 0, 1)
        encoder_padding_mask = src_tokens.eq(self.padding_idx).t()
        attn, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask)
        x = self.norm(x + attn)
        x = x.masked_fill(encoder_padding_mask.t().unsqueeze(-1), 0.0)
        return {"encoder_out": x, "encoder_padding_mask": encoder_padding_mask}


if __name__ == "__main__":
    src = torch.randint(4, 200, (10, 3))
    src[7:, 1] = 1
    print(ConvTBCEncoderWithAttention()(src)["encoder_out"].shape)
