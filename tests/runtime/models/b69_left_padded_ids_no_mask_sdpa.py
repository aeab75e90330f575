"""Buggy: a review-sentiment encoder in the fairseq habit (pad id 1, batches padded on the left)
runs its own SDPA self-attention with no mask at all: real tokens attend to the pad embeddings
before them, so a review's score depends on how long its neighbours in the batch are."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"
PAD_ID = 1


class SelfAttention(nn.Module):
    def __init__(self, dim, heads, p=0.1):
        super().__init__()
        self.heads, self.p = heads, p
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0)  # expect: ML505
        return self.proj(y.transpose(1, 2).reshape(n, s, d))


class SentimentEncoder(nn.Module):
    def __init__(self, vocab=40, dim=16, heads=2):
        super().__init__()
        self.tokens = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        self.attn = SelfAttention(dim, heads)
        self.score = nn.Linear(dim, 1)

    def forward(self, src_tokens):
        h = self.tokens(src_tokens)
        h = h + self.attn(h)
        return self.score(h[:, -1]).squeeze(-1)  # left padding: the last token is always real


def left_pad(reviews):
    width = max(len(r) for r in reviews)
    out = torch.full((len(reviews), width), PAD_ID)
    for i, r in enumerate(reviews):
        out[i, width - len(r):] = torch.tensor(r)
    return out


def run():
    torch.manual_seed(0)
    batch = left_pad([[5, 9, 12, 7, 3, 22], [8, 14, 30], [6, 6, 19, 2, 11, 4]])
    model = SentimentEncoder()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = F.binary_cross_entropy_with_logits(model(batch), torch.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        return [loss.detach(), model(batch)]
