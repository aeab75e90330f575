import torch
import torch.nn as nn


def bucketed_attn_mask(seq_len, context=2):
    """Float mask: each position attends only to itself and the previous `context - 1` positions."""
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    allowed = (j <= i) & (i - j < context)
    return torch.zeros(seq_len, seq_len).masked_fill(~allowed, float("-inf"))


class BucketedSelfAttention(nn.Module):
    def __init__(self, embed_dim=4, num_heads=1, context=2):
        super().__init__()
        self.context = context
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads)

    def forward(self, x, key_padding_mask):
        # x: (seq_len, batch, embed_dim)
        attn_mask = bucketed_attn_mask(x.size(0), self.context)
        out, _ = self.attn(x, x, x, key_padding_mask=key_padding_mask.float().masked_fill(key_padding_mask, float("-inf")),
                           attn_mask=attn_mask, need_weights=False)  # BUG
        return out


def masked_mse(out, target, key_padding_mask):
    valid = (~key_padding_mask).t().unsqueeze(-1).float()
    return (((out - target) ** 2) * valid).sum() / valid.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BucketedSelfAttention()
    x = torch.rand(4, 2, 4)
    target = torch.rand(4, 2, 4)
    key_padding_mask = torch.tensor([[False, False, False, False],
                                     [False, False, True, True]])
    loss = masked_mse(model(x, key_padding_mask), target, key_padding_mask)
    loss.backward()
    nan_grads = sum(int(torch.isnan(p.grad).sum()) for p in model.parameters())
    print(f"loss={loss.item():.4f} NaN gradient entries={nan_grads}")
