import torch
import torch.nn as nn
import torch.nn.functional as F


class FunctionalSelfAttention(nn.Module):
    """Self-attention with externally managed projection weights (seq-first)."""

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x: torch.Tensor, key_padding_mask: torch.Tensor = None):
        out, weights = F.multi_head_attention_forward(
            x, x, x,
            self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias,
            None, None, False,
            self.dropout,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=True,
        )
        return out, weights


class TokenEncoder(nn.Module):
    def __init__(self, vocab_size: int = 2000, embed_dim: int = 64, num_heads: int = 4, pad_idx: int = 0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.attn = FunctionalSelfAttention(embed_dim, num_heads)

    def forward(self, tokens: torch.Tensor):
        # tokens: (T, B) from the seq-first bucket iterator
        pad_mask = tokens.eq(self.pad_idx).transpose(0, 1)
        x = self.embed(tokens)
        return self.attn(x, key_padding_mask=pad_mask)


if __name__ == "__main__":
    enc = TokenEncoder()
    tokens = torch.randint(1, 2000, (2000, 6))
    tokens[1500:, 3] = 0
    out, w = enc(tokens)
    print(out.shape)
