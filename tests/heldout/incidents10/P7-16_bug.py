"""torchtext/models/roberta/modules.py style self-attention: the boolean key
padding mask (True = pad) is turned into an additive mask for the attention
weights."""
import torch
from torch import nn


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, key_padding_mask):
        """query: (T, B, C); key_padding_mask: (B, T) bool."""
        target_length, batch_size, embed_dim = query.size()
        mask_batch_size, source_length = key_padding_mask.size()
        q, k, v = self.input_projection(query).chunk(3, dim=-1)
        q = q.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1) * self.head_dim ** -0.5
        k = k.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2))
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, source_length)
        attn_mask = key_padding_mask.view(batch_size, 1, 1, source_length).to(dtype=attn_weights.dtype)  # BUG
        attn_weights = attn_weights + attn_mask  # BUG
        attn_weights = torch.softmax(attn_weights, dim=-1).view(batch_size * self.num_heads, target_length, source_length)
        attn = torch.bmm(attn_weights, v).transpose(0, 1).contiguous().view(target_length, batch_size, embed_dim)
        return self.output_projection(attn)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = MultiheadSelfAttention()
    x = torch.randn(6, 2, 32)
    kpm = torch.tensor([[False] * 4 + [True] * 2, [False] * 6])
    x2 = x.clone(); x2[4:, 0] = torch.randn(2, 32) * 10
    with torch.no_grad():
        a, b = attn(x, kpm), attn(x2, kpm)
    print("real-token change from pad content:", (a[:4, 0] - b[:4, 0]).abs().max().item())
