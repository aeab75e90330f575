import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """fastNLP-style helper: True at valid positions, False at padding."""
    if isinstance(seq_len, list):
        seq_len = torch.tensor(seq_len)
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    mask = broad_cast_seq_len.lt(seq_len.unsqueeze(1))
    return mask


class SelfAttentionEncoder(nn.Module):
    def __init__(self, embed_dim=20, num_heads=5, dropout=0.0):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, dropout=dropout)

    def forward(self, inputs, seq_len):
        # inputs: (batch, seq, embed); nn.MultiheadAttention wants (seq, batch, embed)
        q = k = v = inputs.transpose(0, 1)
        key_padding_mask = seq_len_to_mask(seq_len, max_len=inputs.size(1)).eq(False)  # BUG
        ao, aow = self.attn(q, k, v, key_padding_mask=key_padding_mask)
        return ao.transpose(0, 1), aow


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SelfAttentionEncoder()
    i = torch.randn(4, 5, 20)
    lengths = [5, 3, 1, 2]
    ao, aow = m(i, lengths)
    pad = ~seq_len_to_mask(lengths, max_len=5)
    pad_weight = aow.nan_to_num(0.0).masked_select(pad[:, None, :].expand_as(aow)).sum().item()
    nan_rows = int(torch.isnan(aow).any(-1).sum())
    print(f"NaN rows: {nan_rows}, attention mass on padding: {pad_weight:.4f}")
    assert aow.shape == (4, 5, 5)
    assert ao.shape == (4, 5, 20)
