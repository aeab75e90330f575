import numpy as np
import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    if isinstance(seq_len, list):
        seq_len = np.array(seq_len)
    if isinstance(seq_len, np.ndarray):
        seq_len = torch.from_numpy(seq_len)
    assert seq_len.dim() == 1, f"seq_len can only have one dimension, got {seq_len.dim()}."
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SelfAttentionEncoder(nn.Module):
    def __init__(self, vocab_size, embed_dim=20, num_heads=5, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, dropout=dropout)
        self.fc = nn.Linear(embed_dim, 3)

    def forward(self, words, seq_len):
        x = self.embed(words).transpose(0, 1)
        mask = seq_len_to_mask(seq_len, max_len=words.size(1))
        out, weights = self.attn(x, x, x, key_padding_mask=mask)  # BUG
        out = out.transpose(0, 1)
        pooled = out.masked_fill(~mask.unsqueeze(-1), 0.0).sum(1) / seq_len.unsqueeze(-1).float()
        return {"pred": self.fc(pooled), "attn": weights}


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SelfAttentionEncoder(vocab_size=30)
    seq_len = torch.tensor([5, 3, 1])
    words = torch.zeros(3, 5, dtype=torch.long)
    for i, n in enumerate(seq_len.tolist()):
        words[i, :n] = torch.randint(1, 30, (n,))
    res = model(words, seq_len)
    nan_rows = torch.isnan(res["attn"]).all(-1).sum().item()
    print(f"NaN attention rows: {nan_rows}; NaN predictions: {torch.isnan(res['pred']).any(-1).sum().item()}")
