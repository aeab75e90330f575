import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """Return a bool mask of shape (batch, max_len); True where the position is inside the sequence."""
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len, device=seq_len.device).expand(seq_len.size(0), -1)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SelfAttentionEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.fc = nn.Linear(d_model, 2)

    def forward(self, words, seq_len):
        x = self.embed(words).transpose(0, 1)  # (S, N, E)
        mask = seq_len_to_mask(seq_len, max_len=words.size(1))
        out, weights = self.attn(x, x, x, key_padding_mask=mask)  # BUG
        out = out.transpose(0, 1)
        pooled = out.masked_fill(~mask.unsqueeze(-1), 0.0).sum(1) / seq_len.unsqueeze(-1)
        return self.fc(pooled), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SelfAttentionEncoder(vocab_size=50)
    seq_len = torch.tensor([6, 4, 2])
    words = torch.randint(1, 50, (3, 6)) * seq_len_to_mask(seq_len, 6).long()
    logits, w = model(words, seq_len)
    print(logits.shape, w.shape)
