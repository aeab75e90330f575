"""Multi-head causal self-attention for a small GPT, using PyTorch's fused SDPA kernel."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttentionSDPA(nn.Module):
    def __init__(self, d_in, d_out, context_length, num_heads, dropout=0.0, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0, "d_out must be divisible by num_heads"
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.d_out = d_out
        self.qkv = nn.Linear(d_in, 3 * d_out, bias=qkv_bias)
        self.proj = nn.Linear(d_out, d_out)
        self.dropout = dropout
        # same buffer as the hand-written version: True marks positions above the diagonal
        self.register_buffer(
            "mask", torch.triu(torch.ones(context_length, context_length), diagonal=1).bool(), persistent=False
        )

    def forward(self, x):
        batch_size, num_tokens, _ = x.shape
        qkv = self.qkv(x).view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        queries, keys, values = qkv.permute(2, 0, 3, 1, 4)
        attn_mask = ~self.mask[:num_tokens, :num_tokens]
        context = F.scaled_dot_product_attention(
            queries, keys, values,
            attn_mask=attn_mask,
            dropout_p=self.dropout if self.training else 0.0,
        )
        context = context.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context)


if __name__ == "__main__":
    torch.manual_seed(123)
    mha = MultiHeadAttentionSDPA(d_in=32, d_out=32, context_length=16, num_heads=4)
    batch = torch.randn(2, 10, 32)
    out = mha(batch)
    print("output:", tuple(out.shape))
    tweaked = batch.clone()
    tweaked[:, -1] += 1.0
    drift = (mha(tweaked)[:, :-1] - out[:, :-1]).abs().max().item()
    print("change in earlier positions after editing the last token:", drift)
