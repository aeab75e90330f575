import math

import torch
import torch.nn as nn


def seq_len_to_mask(seq_len: torch.Tensor, max_len: int = None) -> torch.Tensor:
    """(B,) lengths -> (B, max_len) mask, True where the position holds a real token."""
    max_len = int(max_len) if max_len is not None else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len, device=seq_len.device).expand(seq_len.size(0), -1)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SelfAttentionEncoder(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 300, n_head: int = 6, dropout: float = 0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.self_attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout)
        self.layer_norm = nn.LayerNorm(d_model)
        self.scale = math.sqrt(d_model)

    def forward(self, words: torch.Tensor, seq_len: torch.Tensor):
        # words: (T, B) as produced by the seq-first batch iterator
        x = self.embed(words) * self.scale
        mask = seq_len_to_mask(seq_len, max_len=words.size(0))
        attn_out, attn_weights = self.self_attn(
            x, x, x,
            key_padding_mask=mask,  # BUG: mask is True for valid tokens, kpm expects True for padding
        )
        x = self.layer_norm(x + attn_out)
        return x, attn_weights


if __name__ == "__main__":
    encoder = SelfAttentionEncoder(vocab_size=5000)
    words = torch.randint(1, 5000, (9, 4))
    seq_len = torch.tensor([9, 7, 3, 9])
    for b, n in enumerate(seq_len.tolist()):
        words[n:, b] = 0
    out, w = encoder(words, seq_len)
    print(out.shape, w[2])
