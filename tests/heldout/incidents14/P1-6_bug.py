import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """Turn a tensor of lengths into a (batch, max_len) mask, valid positions are True."""
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else seq_len.max().long()
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    mask = broad_cast_seq_len.lt(seq_len.unsqueeze(1))
    return mask


class SelfAttentionEncoder(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_heads, num_classes):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads)
        self.fc = nn.Linear(embed_dim, num_classes)

    def forward(self, words, seq_len):
        x = self.embed(words).transpose(0, 1)  # (L, N, E)
        mask = seq_len_to_mask(seq_len, max_len=words.size(1))
        key_padding_mask = mask  # BUG
        out, weights = self.attn(x, x, x, key_padding_mask=key_padding_mask)
        out = out.transpose(0, 1)  # (N, L, E)
        pooled = out.masked_fill(~mask.unsqueeze(-1), 0).sum(1) / seq_len.unsqueeze(1).float()
        return self.fc(pooled), weights


def train_step(model, optimizer, words, seq_len, target):
    logits, _ = model(words, seq_len)
    loss = nn.functional.cross_entropy(logits, target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def padding_weight(weights, seq_len):
    pad = ~seq_len_to_mask(seq_len, max_len=weights.size(-1))
    return (weights * pad.unsqueeze(1)).sum(-1).nan_to_num(0).max().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SelfAttentionEncoder(vocab_size=20, embed_dim=8, num_heads=2, num_classes=3)
    words = torch.tensor([[3, 5, 7, 9, 2], [4, 6, 8, 0, 0]])
    seq_len = torch.tensor([5, 3])
    logits, weights = model(words, seq_len)
    nan_rows = torch.isnan(logits).any(-1).sum().item()
    print(f"nan_rows={nan_rows} max_weight_on_padding={padding_weight(weights, seq_len):.3f}")
