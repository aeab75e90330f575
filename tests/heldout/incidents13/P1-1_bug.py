import torch
import torch.nn as nn
import torch.nn.functional as F


class MHAPyTorchScaledDotProduct(nn.Module):
    """Multi-head attention that delegates the kernel work to F.scaled_dot_product_attention."""

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
        qkv = self.qkv(x)
        qkv = qkv.view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        queries, keys, values = qkv
        use_dropout = 0.0 if not self.training else self.dropout

        if self.context_length >= num_tokens:
            attn_mask = self.mask[:num_tokens, :num_tokens]
        else:
            attn_mask = self.mask[: self.context_length, : self.context_length]

        context_vec = F.scaled_dot_product_attention(
            queries, keys, values, attn_mask=attn_mask, dropout_p=use_dropout, is_causal=False  # BUG
        )
        context_vec = context_vec.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context_vec)


def compare_against_reference(mha, x):
    # slow reference: the classic masked softmax with a causal mask
    b, n, _ = x.shape
    q, k, v = mha.qkv(x).view(b, n, 3, mha.num_heads, mha.head_dim).permute(2, 0, 3, 1, 4)
    scores = q @ k.transpose(-2, -1) / mha.head_dim ** 0.5
    scores = scores.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
    ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, mha.d_out)
    return mha.proj(ctx)


if __name__ == "__main__":
    torch.manual_seed(123)
    batch = torch.randn(2, 12, 32)
    mha = MHAPyTorchScaledDotProduct(d_in=32, d_out=32, num_heads=4, context_length=16).eval()
    with torch.no_grad():
        out = mha(batch)
        edited = batch.clone()
        edited[:, 6:] = torch.randn_like(edited[:, 6:])
        leak = (mha(edited)[:, :6] - out[:, :6]).abs().max().item()
        ref_gap = (out - compare_against_reference(mha, batch)).abs().max().item()
    print(f"future leak: max |d out[:, :6]| after editing tokens 6.. = {leak:.4f}; max |out - causal ref| = {ref_gap:.4f}")
