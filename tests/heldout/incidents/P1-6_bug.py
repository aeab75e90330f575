import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """[3, 1] -> [[1, 1, 1], [1, 0, 0]] as a bool tensor (True = real token)."""
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SelfAttentionEncoder(nn.Module):
    def __init__(self, embed_dim=8, num_heads=2, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, dropout=dropout)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, inputs, seq_len):
        # inputs: (batch, max_len, embed_dim)
        q = k = v = inputs.transpose(0, 1)
        key_padding_mask = seq_len_to_mask(seq_len, max_len=inputs.size(1))  # BUG: True marks real tokens
        ao, aow = self.attn(q, k, v, key_padding_mask=key_padding_mask)  # BUG: MHA ignores True positions
        ao = ao.transpose(0, 1)
        return self.norm(inputs + ao), aow


def run():
    model = SelfAttentionEncoder(embed_dim=8, num_heads=2, dropout=0.0)
    inputs = torch.randn(2, 5, 8)
    seq_len = torch.tensor([5, 3])
    return model(inputs, seq_len)
