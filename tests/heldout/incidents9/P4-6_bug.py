import torch
import torch.nn as nn


class CausalSelfAttentionBlock(nn.Module):
    """Returns attention maps as well, for the visualisation notebook."""

    def __init__(self, embedding_dim=8, num_heads=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(num_heads=num_heads, embed_dim=embedding_dim, batch_first=True)
        self.norm = nn.LayerNorm(embedding_dim)

    def forward(self, x, return_attention=False):
        out, weights = self.mha(x, x, x, need_weights=return_attention, is_causal=True)  # BUG
        out = self.norm(x + out)
        return (out, weights) if return_attention else out


if __name__ == "__main__":
    torch.manual_seed(0)
    batch_size, seq_len, embedding_dim = 4, 3, 8
    block = CausalSelfAttentionBlock(embedding_dim)
    x = torch.randn(batch_size, seq_len, embedding_dim)
    mask = nn.Transformer.generate_square_subsequent_mask(seq_len)
    reference = block.norm(x + block.mha(x, x, x, attn_mask=mask, need_weights=False)[0])

    out, attn = block(x, return_attention=True)
    print(out.shape, attn.shape)
    print("matches explicit causal mask:", torch.allclose(out, reference, atol=1e-6))
    print("weight above diagonal:", attn.triu(diagonal=1).sum().item())
