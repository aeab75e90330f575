import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    assert seq_len.dim() == 1, f"seq_len can only have one dimension, got {seq_len.dim()}."
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else seq_len.max().long()
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    mask = broad_cast_seq_len.lt(seq_len.unsqueeze(1))
    return mask


class SelfAttentionEncoder(nn.Module):
    def __init__(self, vocab_size, embed_dim=20, num_heads=5, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, dropout=dropout)
        self.fc = nn.Linear(embed_dim, 2)

    def forward(self, words, seq_len):
        x = self.embed(words)
        q = k = v = x.transpose(0, 1)
        key_padding_mask = seq_len_to_mask(seq_len, max_len=words.size(1)).eq(False)
        ao, aow = self.attn(q, k, v, key_padding_mask=key_padding_mask)
        ao = ao.transpose(0, 1)
        mask = seq_len_to_mask(seq_len, max_len=words.size(1)).unsqueeze(-1)
        pooled = (ao * mask).sum(1) / seq_len.unsqueeze(-1)
        return {"pred": self.fc(pooled), "attn": aow}


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SelfAttentionEncoder(vocab_size=50)
    seq_len = torch.tensor([5, 3, 1])
    words = torch.randint(1, 50, (3, 5)).masked_fill(~seq_len_to_mask(seq_len, 5), 0)
    out = model(words, seq_len)
    w = out["attn"]
    nan_rows = int(torch.isnan(w).any(-1).sum())
    pad_weight = w.nan_to_num(0.0).masked_select(~seq_len_to_mask(seq_len, 5)[:, None, :]).sum().item()
    print(f"attention rows with NaN = {nan_rows}; total weight on padded keys = {pad_weight:.3f}")
