import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, x, attn_mask=None, key_padding_mask=None):
        tgt_len, bsz, embed_dim = x.size()
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1) * self.head_dim ** -0.5
        k = k.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn_weights = attn_weights.masked_fill(attn_mask.unsqueeze(0), -1e8)  # BUG
        if key_padding_mask is not None:
            attn_weights = attn_weights.view(bsz, self.num_heads, tgt_len, -1)
            attn_weights = attn_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            attn_weights = attn_weights.view(bsz * self.num_heads, tgt_len, -1)
        attn = torch.bmm(F.softmax(attn_weights.float(), dim=-1).type_as(attn_weights), v)
        return self.out_proj(attn.transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim))


class Encoder(nn.Module):
    def __init__(self, vocab, dim=64, heads=4, layers=2, pad=1):
        super().__init__()
        self.pad = pad
        self.embed = nn.Embedding(vocab, dim, padding_idx=pad)
        self.layers = nn.ModuleList([EncoderSelfAttention(dim, heads) for _ in range(layers)])

    def forward(self, tokens, window=3):
        x = self.embed(tokens).transpose(0, 1)
        n = tokens.size(1)
        idx = torch.arange(n, device=tokens.device)
        local = (idx[None, :] - idx[:, None]).abs() > window
        pad = tokens.eq(self.pad)
        for layer in self.layers:
            x = x + layer(x, attn_mask=local, key_padding_mask=pad)
        return x.transpose(0, 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fp16", action="store_true", default=True)
    parser.add_argument("--batch-size", type=int, default=4)
    args = parser.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = Encoder(500).to(device).eval()
    if args.fp16:
        model.half()
    tokens = torch.randint(2, 500, (args.batch_size, 12), device=device)
    tokens[0, 9:] = 1
    with torch.no_grad():
        out = model(tokens)
    print("encoded", tuple(out.shape), out.dtype, "nan:", bool(torch.isnan(out).any()))
