"""Sentence classifier in the style of fastNLP: lengths are turned into a mask with
seq_len_to_mask and the encoder uses seq-first nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def seq_len_to_mask(seq_len, max_len=None):
    batch_size = seq_len.size(0)
    max_len = int(max_len) if max_len else int(seq_len.max().long())
    broad_cast_seq_len = torch.arange(max_len).expand(batch_size, -1).to(seq_len)
    mask = broad_cast_seq_len.lt(seq_len.unsqueeze(1))
    return mask


class SelfAttentionEncoder(nn.Module):
    def __init__(self, hidden_size, num_heads, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(hidden_size, num_heads, dropout=dropout)
        self.norm = nn.LayerNorm(hidden_size)
        self.ffn = nn.Sequential(nn.Linear(hidden_size, hidden_size * 2), nn.ReLU(), nn.Linear(hidden_size * 2, hidden_size))

    def forward(self, x, seq_len):
        # x: [seq_len, batch, hidden]
        mask = seq_len_to_mask(seq_len, max_len=x.size(0))
        out, weights = self.attn(x, x, x, key_padding_mask=mask)  # BUG
        x = self.norm(x + out)
        return x + self.ffn(x), weights


class AttnClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim=32, num_heads=4, num_classes=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.encoder = SelfAttentionEncoder(embed_dim, num_heads)
        self.output = nn.Linear(embed_dim, num_classes)

    def forward(self, words, seq_len):
        x = self.embed(words).transpose(0, 1)
        x, _ = self.encoder(x, seq_len)
        mask = seq_len_to_mask(seq_len, max_len=x.size(0)).t().unsqueeze(-1).float()
        pooled = (x * mask).sum(0) / mask.sum(0)
        return {"pred": self.output(pooled)}


def pad_batch(sentences):
    seq_len = torch.tensor([len(s) for s in sentences])
    words = torch.zeros(len(sentences), int(seq_len.max()), dtype=torch.long)
    for i, s in enumerate(sentences):
        words[i, :len(s)] = torch.tensor(s)
    return words, seq_len


if __name__ == "__main__":
    torch.manual_seed(1)
    model = AttnClassifier(vocab_size=200)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    words, seq_len = pad_batch([[4, 9, 12, 7, 3], [15, 2], [8, 8, 31]])
    target = torch.tensor([0, 2, 1])
    pred = model(words, seq_len)["pred"]
    loss = F.cross_entropy(pred, target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print("loss", loss.item())
