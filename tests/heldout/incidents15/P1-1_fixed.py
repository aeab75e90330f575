import torch
import torch.nn as nn


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

        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1).bool())

    def forward(self, x):
        batch_size, num_tokens, embed_dim = x.shape

        # (b, num_tokens, embed_dim) --> (b, num_tokens, 3 * embed_dim)
        qkv = self.qkv(x)
        qkv = qkv.view(batch_size, num_tokens, 3, self.num_heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        queries, keys, values = qkv

        use_dropout = 0. if not self.training else self.dropout

        if self.context_length >= num_tokens:
            attn_mask = ~self.mask[:num_tokens, :num_tokens]  # BUG
        else:
            attn_mask = ~self.mask[:self.context_length, :self.context_length]  # BUG

        context_vec = nn.functional.scaled_dot_product_attention(
            queries, keys, values, attn_mask=attn_mask, dropout_p=use_dropout, is_causal=False)

        context_vec = context_vec.transpose(1, 2).contiguous().view(batch_size, num_tokens, self.d_out)

        context_vec = self.proj(context_vec)

        return context_vec


if __name__ == "__main__":
    torch.manual_seed(123)
    batch_size, context_len, embed_dim = 2, 6, 16
    embeddings = torch.randn((batch_size, context_len, embed_dim))
    mha = MHAPyTorchSDPAWithoutFlash(d_in=embed_dim, d_out=embed_dim, num_heads=4, context_length=context_len)
    mha.eval()
    with torch.no_grad():
        out = mha(embeddings)
        changed = embeddings.clone()
        changed[:, 3:] = torch.randn(batch_size, context_len - 3, embed_dim)
        out2 = mha(changed)
    leak = (out[:, :3] - out2[:, :3]).abs().max().item()
    print(f"future leak into tokens 0-2: {leak:.4f}")
