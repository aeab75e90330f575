"""Bucketed (chunked) attention over long sequences (pytorch#41508 style):
the sequence is cut into buckets and each bucket runs nn.MultiheadAttention
with its slice of the padding mask.  Buckets that fall entirely into the
padding have no attendable key: their outputs and gradients are NaN.
Data-dependent (runtime-only)."""
import torch
import torch.nn as nn


class BucketedAttention(nn.Module):
    def __init__(self, dim=16, heads=2, bucket=4):
        super().__init__()
        self.bucket = bucket
        self.attn = nn.MultiheadAttention(dim, heads)

    def forward(self, x, key_padding_mask):
        """x: (T, N, E); key_padding_mask: (N, T), True = pad."""
        outs = []
        for start in range(0, x.size(0), self.bucket):
            xb = x[start:start + self.bucket]
            mb = key_padding_mask[:, start:start + self.bucket]
            mb = mb & ~mb.all(dim=-1, keepdim=True)
            out, _ = self.attn(xb, xb, xb, key_padding_mask=mb)
            outs.append(out)
        return torch.cat(outs, 0)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BucketedAttention()
    x = torch.randn(12, 2, 16, requires_grad=True)
    lengths = torch.tensor([12, 5])
    kpm = torch.arange(12)[None, :] >= lengths[:, None]
    out = m(x, kpm)
    loss = (out.nan_to_num() * (~kpm).T[..., None]).sum()
    loss.backward()
    print("NaN in grad of in_proj_weight:", bool(m.attn.in_proj_weight.grad.isnan().any()))
