import torch
import torch.nn as nn


def bucket_attention_mask(seq_len, bucket_size):
    bucket = torch.arange(seq_len) // bucket_size
    return bucket[:, None] != bucket[None, :]


class BucketedSelfAttention(nn.Module):
    def __init__(self, d_model, nhead, bucket_size):
        super().__init__()
        self.nhead = nhead
        self.bucket_size = bucket_size
        self.attn = nn.MultiheadAttention(d_model, nhead)

    def forward(self, x, key_padding_mask):
        L, N, _ = x.shape
        block = bucket_attention_mask(L, self.bucket_size)
        combined = block[None] | key_padding_mask[:, None, :]  # BUG
        attn_mask = combined.repeat_interleave(self.nhead, dim=0)
        out, _ = self.attn(x, x, x, attn_mask=attn_mask)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = BucketedSelfAttention(d_model=16, nhead=2, bucket_size=3)
    head = nn.Linear(16, 1)
    x = torch.randn(9, 2, 16, requires_grad=True)
    lengths = torch.tensor([9, 5])
    kpm = torch.arange(9)[None, :] >= lengths[:, None]
    out = layer(x, kpm)
    loss = head(out)[(~kpm).T].mean()
    loss.backward()
    nan_grads = sum(int(torch.isnan(p.grad).any().item()) for p in layer.parameters())
    print(f"loss finite: {bool(torch.isfinite(loss).item())}; parameters with NaN gradients: {nan_grads}")
