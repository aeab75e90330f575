import torch
import torch.nn as nn


class BucketedSelfAttention(nn.Module):
    """Sequences are sorted into length buckets and padded to the bucket width."""

    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, lengths):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * self.scale
        valid = torch.arange(n, device=x.device)[None, :] < lengths[:, None]
        pair_mask = valid[:, None, :, None] & valid[:, None, None, :]
        scores = scores.masked_fill(~pair_mask, float("-inf"))  # BUG
        attn = scores.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, n, d)
        out = out.masked_fill(~valid[..., None], 0.0)
        return self.out(out)


def bucket_batches(lengths, bucket_width=8):
    order = torch.argsort(lengths, descending=True)
    return [order[i : i + 4] for i in range(0, len(order), 4)], bucket_width


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = BucketedSelfAttention()
    lengths = torch.tensor([8, 5, 3, 6])
    x = torch.randn(4, 8, 32, requires_grad=True)
    y = attn(x, lengths)
    y.sum().backward()
    print(y.shape, torch.isnan(attn.qkv.weight.grad).any().item())
