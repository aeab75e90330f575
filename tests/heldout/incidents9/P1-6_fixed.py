import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """Turn a list/1-D tensor of lengths into a (batch, max_len) mask.

    >>> seq_len_to_mask(torch.tensor([3, 1]), max_len=4)
    tensor([[ True,  True,  True, False],
            [ True, False, False, False]])
    """
    if not isinstance(seq_len, torch.Tensor):
        seq_len = torch.as_tensor(seq_len)
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(seq_len.size(0), -1).to(seq_len)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SentenceEncoder(nn.Module):
    def __init__(self, embed_dim=20, num_heads=5, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, dropout=dropout)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, words, seq_len):
        # words: (batch, max_len, embed_dim); nn.MultiheadAttention wants (L, N, E)
        q = k = v = words.transpose(0, 1)
        key_padding_mask = ~seq_len_to_mask(seq_len, max_len=words.size(1))
        ao, aow = self.attn(q, k, v, key_padding_mask=key_padding_mask)
        return self.norm(words + ao.transpose(0, 1)), aow


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SentenceEncoder().eval()
    words = torch.randn(4, 5, 20)
    lengths = [5, 3, 1, 2]
    out, weights = enc(words, lengths)
    print(out.shape, weights.shape)
    print("weight mass on padding (sample 1):", weights[1, :, 3:].sum(-1).mean().item())
    print("nan rows:", torch.isnan(out).any(-1).any(-1).tolist())
