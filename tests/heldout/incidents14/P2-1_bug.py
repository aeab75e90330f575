import torch
import torch.nn as nn


class CausalSelfAttention(nn.Module):
    """Self-attention over a (seq_len, batch, hidden) sequence that should only look at the past."""

    def __init__(self, hidden_dim, head_num, max_len):
        super().__init__()
        self.mha = nn.MultiheadAttention(hidden_dim, head_num)
        self.register_buffer("attn_mask", self.causal_mask(max_len))

    @staticmethod
    def causal_mask(size):
        attn_mask = torch.tril(torch.ones((size, size)))  # BUG
        return attn_mask

    def forward(self, inputs):
        seq_len = inputs.size(0)
        mask = self.attn_mask[:seq_len, :seq_len]
        outputs, weights = self.mha(inputs, inputs, inputs, attn_mask=mask)  # Q, K, V, attn_mask for causality
        return outputs, weights


class SASBlock(nn.Module):
    def __init__(self, hidden_dim, head_num, max_len, dropout=0.0):
        super().__init__()
        self.norm = nn.LayerNorm(hidden_dim)
        self.attn = CausalSelfAttention(hidden_dim, head_num, max_len)
        self.ffn = nn.Sequential(nn.Linear(hidden_dim, hidden_dim), nn.ReLU(), nn.Dropout(dropout))

    def forward(self, x):
        out, weights = self.attn(self.norm(x))
        x = x + out
        return x + self.ffn(x), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    block = SASBlock(hidden_dim=6, head_num=2, max_len=8)
    inputs = torch.randn(8, 2, 6)
    _, weights = block(inputs)
    future = torch.triu(torch.ones(8, 8), diagonal=1).bool()
    print(f"attention weight on future positions (max row sum): {(weights * future).sum(-1).max().item():.3f}")
