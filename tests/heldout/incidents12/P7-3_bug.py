import torch
import torch.nn as nn


def bucket_batch(lengths, bucket_size):
    max_len = bucket_size
    return torch.arange(max_len)[None, :] >= lengths[:, None]


class BucketedAttentionModel(nn.Module):
    def __init__(self, d_model=16, nhead=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.head = nn.Linear(d_model, 1)

    def forward(self, x, lengths, bucket_size):
        key_padding_mask = bucket_batch(lengths, bucket_size)  # BUG
        out, _ = self.attn(x, x, x, key_padding_mask=key_padding_mask)
        valid = (lengths > 0).float()
        per_sample = self.head(out).squeeze(-1).mean(0)
        return (per_sample * valid).nan_to_num(0.0).sum() / valid.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BucketedAttentionModel()
    lengths = torch.tensor([6, 4, 0, 2])
    x = torch.randn(6, 4, 16)
    loss = model(x, lengths, bucket_size=6)
    loss.backward()
    nan_grads = sum(int(torch.isnan(p.grad).sum()) for p in model.parameters())
    print(f"loss {loss.item():.4f}; NaN gradient entries: {nan_grads}")
