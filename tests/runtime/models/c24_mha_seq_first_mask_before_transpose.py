"""Correct twin of b39: the padding mask is taken from the (B, T) tokens before the embeddings are
made time-first; B == T == 5, left-padded sources."""
import torch
import torch.nn as nn

KIND = "correct"
PAD = 1


class Encoder(nn.Module):
    def __init__(self, vocab=30, dim=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.self_attn = nn.MultiheadAttention(dim, 2, dropout=0.1)

    def forward(self, src_tokens):  # (B, T)
        encoder_padding_mask = src_tokens.eq(PAD)
        x = self.embed(src_tokens).transpose(0, 1)
        y, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask)
        return y


def run():
    torch.manual_seed(0)
    src = torch.tensor([[1, 1, 4, 5, 6], [7, 8, 9, 10, 11], [1, 1, 1, 3, 4], [1, 5, 6, 7, 8], [9, 8, 7, 6, 5]])
    enc = Encoder().train()
    out = enc(src)
    out.sum().backward()
    return (out.detach(), enc.embed.weight.grad)
