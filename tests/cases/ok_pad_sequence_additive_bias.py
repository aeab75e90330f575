import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence


class Pool(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, seqs):
        x = pad_sequence(seqs, batch_first=True)
        # additive key padding bias: 0 on real tokens, -inf on padding
        bias = pad_sequence([torch.zeros(len(s)) for s in seqs], batch_first=True, padding_value=float("-inf"))
        y, _ = self.attn(x, x, x, key_padding_mask=bias)
        q = x[:, None]
        z = F.scaled_dot_product_attention(q, q, q, attn_mask=bias[:, None, None, :])
        return y + z[:, 0]


if __name__ == "__main__":
    seqs = [torch.randn(4, 16), torch.randn(2, 16)]
    m = Pool()
    out = m(seqs)
    ref = m.attn(pad_sequence(seqs, batch_first=True), pad_sequence(seqs, batch_first=True), pad_sequence(seqs, batch_first=True),
                 key_padding_mask=torch.tensor([[False] * 4, [False, False, True, True]]))[0]
    x = pad_sequence(seqs, batch_first=True)[:, None]
    keep = torch.tensor([[True] * 4, [True, True, False, False]])[:, None, None, :]
    print(torch.allclose(out, ref + F.scaled_dot_product_attention(x, x, x, attn_mask=keep)[:, 0], atol=1e-6))
