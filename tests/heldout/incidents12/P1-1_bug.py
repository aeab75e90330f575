import torch
import torch.nn as nn
import torch.nn.functional as F


class MHAPyTorchScaledDotProduct(nn.Module):
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
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1).bool())

    def forward(self, x):
        batch_size, num_tokens, embed_dim = x.shape
        qkv = self.qkv(x)
        qkv = qkv.view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        queries, keys, values = qkv
        use_dropout = 0.0 if not self.training else self.dropout
        attn_mask = self.mask[:num_tokens, :num_tokens]  # BUG
        context_vec = F.scaled_dot_product_attention(
            queries, keys, values, attn_mask=attn_mask, dropout_p=use_dropout, is_causal=False
        )
        context_vec = context_vec.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)
        return self.proj(context_vec)


if __name__ == "__main__":
    torch.manual_seed(123)
    context_length, embed_dim = 16, 32
    mha = MHAPyTorchScaledDotProduct(embed_dim, embed_dim, num_heads=4, context_length=context_length).eval()
    x = torch.randn(2, 10, embed_dim)
    x2 = x.clone()
    x2[:, 6:] = torch.randn(2, 4, embed_dim)
    with torch.no_grad():
        delta = (mha(x)[:, :6] - mha(x2)[:, :6]).abs().max().item()
    print(f"future leak: max |d out[:, :6]| after editing tokens 6.. = {delta:.4f}")
