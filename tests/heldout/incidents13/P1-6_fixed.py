import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    """[B] lengths -> [B, max_len] bool mask, True on real tokens."""
    max_len = int(max_len) if max_len else int(seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(seq_len.size(0), -1).to(seq_len)
    return broad_cast_seq_len.lt(seq_len.unsqueeze(1))


class SelfAttentionEncoder(nn.Module):
    """Token tagger: embeddings -> nn.MultiheadAttention over (seq, batch, dim) -> tag scores."""

    def __init__(self, vocab_size, embed_dim, num_heads, num_tags):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads)
        self.norm = nn.LayerNorm(embed_dim)
        self.out = nn.Linear(embed_dim, num_tags)

    def forward(self, words, seq_len):
        x = self.embed(words).transpose(0, 1)
        mask = seq_len_to_mask(seq_len, max_len=words.size(1))
        attn_out, weights = self.attn(x, x, x, key_padding_mask=mask.eq(False))  # BUG
        h = self.norm(x + attn_out).transpose(0, 1)
        return self.out(h), weights


def train_step(model, optim, words, seq_len, tags):
    logits, _ = model(words, seq_len)
    mask = seq_len_to_mask(seq_len, max_len=words.size(1))
    loss = nn.functional.cross_entropy(logits[mask], tags[mask])
    optim.zero_grad()
    loss.backward()
    optim.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SelfAttentionEncoder(vocab_size=30, embed_dim=16, num_heads=2, num_tags=5)
    optim = torch.optim.SGD(model.parameters(), lr=0.1)
    words = torch.tensor([[4, 8, 15, 16, 23], [4, 2, 9, 0, 0]])
    seq_len = torch.tensor([5, 3])
    tags = torch.randint(0, 5, (2, 5))
    loss = train_step(model, optim, words, seq_len, tags)
    model.eval()
    with torch.no_grad():
        logits, weights = model(words, seq_len)
    nan_rows = torch.isnan(logits).any(-1).sum().item()
    pad_weight = weights[1, :3, 3:].sum().item()
    print(f"loss={loss:.4f}; NaN token rows={nan_rows}; attention mass on pads (sample 1, real queries)={pad_weight:.4f}")
