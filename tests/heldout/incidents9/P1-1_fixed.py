"""Efficient multi-head attention, variant 2: PyTorch's scaled_dot_product_attention
without forcing the FlashAttention kernel (the causal mask is passed explicitly)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MHAPyTorchSDPAWithoutFlash(nn.Module):
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
        self.register_buffer(
            "mask", torch.triu(torch.ones(context_length, context_length), diagonal=1).bool()
        )

    def forward(self, x):
        batch_size, num_tokens, embed_dim = x.shape

        # (b, num_tokens, embed_dim) --> (b, num_tokens, 3 * embed_dim)
        qkv = self.qkv(x)
        # (b, num_tokens, 3, num_heads, head_dim) --> (3, b, num_heads, num_tokens, head_dim)
        qkv = qkv.view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        queries, keys, values = qkv

        use_dropout = 0.0 if not self.training else self.dropout

        # Ensure attn_mask is compatible with expected shape and `batch_first=True`
        attn_mask = ~self.mask[:num_tokens, :num_tokens]

        context_vec = F.scaled_dot_product_attention(
            queries, keys, values, attn_mask=attn_mask, dropout_p=use_dropout, is_causal=False
        )
        # Combine heads, where self.d_out = self.num_heads * self.head_dim
        context_vec = context_vec.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context_vec)


if __name__ == "__main__":
    torch.manual_seed(123)
    batch_size, context_len, embed_dim = 2, 8, 64
    embeddings = torch.randn((batch_size, context_len, embed_dim))

    mha = MHAPyTorchSDPAWithoutFlash(
        d_in=embed_dim, d_out=embed_dim, num_heads=8, context_length=context_len
    ).eval()
    out = mha(embeddings)
    print(out.shape)

    # editing the last token must not change any earlier position
    edited = embeddings.clone()
    edited[:, -1] += 1.0
    with torch.no_grad():
        delta = (mha(edited)[:, :-1] - out[:, :-1]).abs().max().item()
    print("max change at earlier positions:", delta)
