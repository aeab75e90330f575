import torch
from torch import nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))

    def split(self, t):
        b, n, _ = t.shape
        return t.view(b, n, self.heads, -1).transpose(1, 2)

    def forward(self, x, attention_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return ctx.transpose(1, 2).flatten(2)


class TinyBert(nn.Module):
    def __init__(self, vocab_size=100, hidden=32, heads=4, layers=2, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.word = nn.Embedding(vocab_size, hidden, padding_idx=pad_token_id)
        self.position = nn.Embedding(64, hidden)
        self.attn = nn.ModuleList(SelfAttention(hidden, heads) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def forward(self, input_ids):
        mask = (input_ids != self.pad_token_id).unsqueeze(1).unsqueeze(2)
        h = self.word(input_ids) + self.position(torch.arange(input_ids.size(1)))
        for attn, norm in zip(self.attn, self.norm):
            h = norm(h + attn(h, mask))
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[1, 7, 8, 9, 2, 0, 0], [1, 11, 12, 13, 14, 15, 2]])
    print(TinyBert()(ids)[:, 0].norm(dim=-1))
