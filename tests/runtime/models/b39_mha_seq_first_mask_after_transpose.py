"""Buggy: fairseq-style encoder on nn.MultiheadAttention (seq-first); the tokens are transposed to
(T, B) before the padding mask is taken, so key_padding_mask is (T, B) where (B, T) is wanted.
Sources are left-padded (fairseq's left_pad_source) and B == T == 5, so nothing raises."""
import torch
import torch.nn as nn

KIND = "buggy"
PAD = 1


class Encoder(nn.Module):
    def __init__(self, vocab=30, dim=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.self_attn = nn.MultiheadAttention(dim, 2, dropout=0.1)

    def forward(self, src_tokens):  # (B, T)
        src_tokens = src_tokens.t()  # time first from here on
        x = self.embed(src_tokens)
        encoder_padding_mask = src_tokens.eq(PAD)
        y, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask)  # expect: ML304
        return y


def run():
    torch.manual_seed(0)
    src = torch.tensor([[1, 1, 4, 5, 6], [7, 8, 9, 10, 11], [1, 1, 1, 3, 4], [1, 5, 6, 7, 8], [9, 8, 7, 6, 5]])
    enc = Encoder().train()
    out = enc(src)
    out.sum().backward()
    return (out.detach(), enc.embed.weight.grad)
