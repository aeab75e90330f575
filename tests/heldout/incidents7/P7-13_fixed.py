"""Transformer tagger trained under automatic mixed precision (in the style of the apex/amp
examples): hand-written attention fills padded keys with a large negative constant."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model):
        super().__init__()
        self.h, self.d_k = h, d_model // h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])

    def forward(self, query, key, value, mask=None):
        nbatches = query.size(0)
        query, key, value = [
            lin(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
            for lin, x in zip(self.linears, (query, key, value))
        ]
        scores = torch.matmul(query, key.transpose(-2, -1)) / self.d_k ** 0.5
        if mask is not None:
            scores = scores.masked_fill(mask == 0, torch.finfo(scores.dtype).min)
        p_attn = F.softmax(scores, dim=-1)
        x = torch.matmul(p_attn, value).transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


class Tagger(nn.Module):
    def __init__(self, vocab=120, d_model=32, heads=4, n_tags=7):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=0)
        self.attn = MultiHeadedAttention(heads, d_model)
        self.norm = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 64), nn.ReLU(), nn.Linear(64, d_model))
        self.cls = nn.Linear(d_model, n_tags)

    def forward(self, tokens):
        mask = (tokens != 0).unsqueeze(1).unsqueeze(2)
        x = self.embed(tokens)
        x = self.norm(x + self.attn(x, x, x, mask))
        return self.cls(x + self.ff(x))


def train_step(model, tokens, tags, optimizer):
    with torch.autocast(device_type="cpu", dtype=torch.float16):
        logits = model(tokens)
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), tags.reshape(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Tagger()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    tokens = torch.tensor([[5, 6, 7, 8, 9, 0, 0], [10, 11, 12, 13, 14, 15, 16]])
    tags = torch.randint(0, 7, tokens.shape).masked_fill(tokens == 0, -100)
    print("amp loss", train_step(model, tokens, tags, opt))
