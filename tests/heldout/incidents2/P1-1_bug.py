import torch
import torch.nn as nn
import torch.nn.functional as F


class MHAPyTorchScaledDotProduct(nn.Module):
    """Multi-head attention that delegates the core computation to SDPA."""

    def __init__(self, d_in, d_out, num_heads, context_length, dropout=0.0, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0, "d_out is indivisible by num_heads"
        self.num_heads = num_heads
        self.context_length = context_length
        self.head_dim = d_out // num_heads
        self.d_out = d_out
        self.qkv = nn.Linear(d_in, 3 * d_out, bias=qkv_bias)
        self.proj = nn.Linear(d_out, d_out)
        self.dropout = dropout
        self.register_buffer(
            "mask",
            torch.triu(torch.ones(context_length, context_length), diagonal=1).bool(),
            persistent=False,
        )

    def forward(self, x):
        batch_size, num_tokens, embed_dim = x.shape
        qkv = self.qkv(x)
        qkv = qkv.view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        queries, keys, values = qkv

        use_dropout = 0.0 if not self.training else self.dropout

        attn_mask = self.mask[:num_tokens, :num_tokens]  # BUG: True marks future tokens, SDPA reads True as "attend"

        context_vec = F.scaled_dot_product_attention(
            queries, keys, values, attn_mask=attn_mask, dropout_p=use_dropout, is_causal=False  # BUG
        )
        context_vec = context_vec.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context_vec)


if __name__ == "__main__":
    torch.manual_seed(123)
    batch = torch.randn(8, 1024, 768)
    mha = MHAPyTorchScaledDotProduct(
        d_in=768, d_out=768, num_heads=12, context_length=1024, dropout=0.0
    )
    out = mha(batch)
    print(out.shape)
