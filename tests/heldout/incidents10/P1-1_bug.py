"""Multi-head attention variants (ch03 bonus: efficient MHA implementations).

MHA using PyTorch's scaled_dot_product_attention, re-using the causal
mask buffer of the chapter-3 implementation.
"""
import torch
import torch.nn as nn


class MHAPyTorchSDPAWithMask(nn.Module):
    def __init__(self, d_in, d_out, num_heads, context_length, dropout=0.0, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0, "embed_dim is indivisible by num_heads"
        self.num_heads = num_heads
        self.context_length = context_length
        self.head_dim = d_out // num_heads
        self.d_out = d_out
        self.qkv = nn.Linear(d_in, 3 * d_out, bias=qkv_bias)
        self.proj = nn.Linear(d_out, d_out)
        self.dropout = dropout
        # same buffer as in chapter 3: 1 above the diagonal = future token
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1).bool())

    def forward(self, x):
        batch_size, num_tokens, embed_dim = x.shape
        qkv = self.qkv(x)
        qkv = qkv.view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        queries, keys, values = qkv
        use_dropout = 0.0 if not self.training else self.dropout

        if self.context_length >= num_tokens:
            attn_mask = self.mask[:num_tokens, :num_tokens]  # BUG
        else:
            attn_mask = self.mask[:self.context_length, :self.context_length]  # BUG

        context_vec = nn.functional.scaled_dot_product_attention(
            queries, keys, values, attn_mask=attn_mask, dropout_p=use_dropout, is_causal=False)

        context_vec = context_vec.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context_vec)


if __name__ == "__main__":
    torch.manual_seed(123)
    mha = MHAPyTorchSDPAWithMask(d_in=16, d_out=16, num_heads=4, context_length=8).eval()
    x = torch.randn(2, 6, 16)
    x2 = x.clone()
    x2[:, -1] = torch.randn(2, 16)
    with torch.no_grad():
        a, b = mha(x), mha(x2)
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
