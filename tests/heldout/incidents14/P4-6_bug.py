import torch
import torch.nn as nn


class CausalSelfAttentionBlock(nn.Module):
    def __init__(self, embedding_dim, num_heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(num_heads=num_heads, embed_dim=embedding_dim, batch_first=True)
        self.norm = nn.LayerNorm(embedding_dim)

    def forward(self, x, return_attention=False):
        seq_len = x.size(1)
        mask = None  # BUG
        out, weights = self.mha(x, x, x, attn_mask=mask, need_weights=True, is_causal=True)
        out = self.norm(x + out)
        return (out, weights) if return_attention else out


def attention_maps(model, x):
    """Collect the (head-averaged) attention maps for plotting."""
    model.eval()
    with torch.no_grad():
        _, weights = model(x, return_attention=True)
    return weights


if __name__ == "__main__":
    torch.manual_seed(0)
    batch_size, seq_len, embedding_dim, num_heads = 4, 3, 8, 2
    block = CausalSelfAttentionBlock(embedding_dim, num_heads)
    x = torch.randn(batch_size, seq_len, embedding_dim)
    weights = attention_maps(block, x)
    future = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool), diagonal=1)
    print(f"attention weight on future positions (max row sum): {(weights * future).sum(-1).max().item():.3f}")
