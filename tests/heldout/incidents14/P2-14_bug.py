"""TinyTorch modules 12/13 (attention, transformers), ported from NumPy to torch tensors."""
import math

import torch

MASK_VALUE = -1e9  # Large negative value used for attention masking


def _apply_mask(scores, mask):
    """Apply a binary attention mask: 1 = allow, 0 = block."""
    return scores + (1 - mask) * MASK_VALUE


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = _apply_mask(scores, mask)
    attention_weights = torch.softmax(scores, dim=-1)
    return attention_weights @ V, attention_weights


class MultiHeadAttention:
    def __init__(self, embed_dim, num_heads):
        assert embed_dim % num_heads == 0
        self.embed_dim, self.num_heads, self.head_dim = embed_dim, num_heads, embed_dim // num_heads
        self.q_proj = torch.randn(embed_dim, embed_dim) / math.sqrt(embed_dim)
        self.k_proj = torch.randn(embed_dim, embed_dim) / math.sqrt(embed_dim)
        self.v_proj = torch.randn(embed_dim, embed_dim) / math.sqrt(embed_dim)

    def forward(self, x, mask=None):
        batch_size, seq_len, _ = x.shape
        split = lambda t: t.reshape(batch_size, seq_len, self.num_heads, self.head_dim).transpose(1, 2)
        Q, K, V = split(x @ self.q_proj), split(x @ self.k_proj), split(x @ self.v_proj)
        out, self.last_weights = scaled_dot_product_attention(Q, K, V, mask)
        return out.transpose(1, 2).reshape(batch_size, seq_len, self.embed_dim)


class GPT:
    def __init__(self, vocab_size, embed_dim, num_layers, num_heads, max_seq_len=16):
        self.token_embedding = torch.randn(vocab_size, embed_dim)
        self.position_embedding = torch.randn(max_seq_len, embed_dim) * 0.1
        self.blocks = [MultiHeadAttention(embed_dim, num_heads) for _ in range(num_layers)]

    def _create_causal_mask(self, seq_len):
        """Create causal mask to prevent attending to future positions."""
        mask = torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)  # BUG
        return mask

    def forward(self, tokens):
        seq_len = tokens.shape[1]
        x = self.token_embedding[tokens] + self.position_embedding[:seq_len]
        mask = self._create_causal_mask(seq_len)
        for block in self.blocks:
            x = x + block.forward(x, mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT(vocab_size=20, embed_dim=8, num_layers=1, num_heads=2)
    model.forward(torch.tensor([[3, 1, 4, 1, 5, 9]]))
    w = model.blocks[0].last_weights
    uniform = torch.tril(torch.ones(6, 6)) / torch.arange(1, 7).unsqueeze(1)
    print(f"max deviation of attention from content-blind uniform-over-past: {(w - uniform).abs().max().item():.4f}")
