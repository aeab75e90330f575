"""Sentence encoder with self-attention over a padded batch (sequence-first layout).

Run as a script: builds a toy batch of variable-length sentences and encodes it.
"""
import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """[3, 1, 2] -> bool mask of shape (batch, max_len), True on real tokens."""
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len is not None else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SelfAttentionEncoder(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads, dropout=dropout)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, words, seq_len):
        # words: (batch, max_len) -> (max_len, batch, embed_dim)
        x = self.embed(words).transpose(0, 1)
        mask = seq_len_to_mask(seq_len, max_len=words.size(1))
        attended, weights = self.attn(x, x, x, key_padding_mask=~mask)
        x = self.norm(x + attended)
        # mean-pool over real tokens only
        keep = mask.transpose(0, 1).unsqueeze(-1).float()
        return (x * keep).sum(0) / keep.sum(0), weights


torch.manual_seed(1)
encoder = SelfAttentionEncoder(vocab_size=50, embed_dim=16, num_heads=2)
encoder.eval()

seq_len = torch.tensor([5, 3, 2])
words = torch.randint(1, 50, (3, 5))
words = words.masked_fill(~seq_len_to_mask(seq_len, 5), 0)

with torch.no_grad():
    sentence_repr, attn_weights = encoder(words, seq_len)

print("sentence representations:", sentence_repr.shape)
print("any NaN:", torch.isnan(sentence_repr).any().item())
print("attention of sentence 1, first query:", attn_weights[1, 0])
