"""Review-comment generator conditioned on a diff (decoder-only, right-padded batches)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def visible_keys(ids: torch.Tensor) -> torch.Tensor:
    """(B, T) ids -> (B, 1, T, T) bool for SDPA: True = query may look at key."""
    T = ids.size(1)
    not_pad = ids.ne(PAD)[:, None, None, :]
    lower = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril_()
    # a padded query still sees itself, so no row is empty
    return (not_pad & lower) | torch.eye(T, dtype=torch.bool, device=ids.device)


class ReviewBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, allowed):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, -1)
        q, k, v = (t.view(B, T, self.h, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, allowed, 0.1 if self.training else 0.0)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.ff(self.ln2(x))


class ReviewGenerator(nn.Module):
    def __init__(self, vocab=8192, d=192, h=6, depth=3):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(1024, d)
        self.blocks = nn.ModuleList(ReviewBlock(d, h) for _ in range(depth))
        self.lm = nn.Linear(d, vocab)

    def forward(self, ids):
        allowed = visible_keys(ids)
        x = self.tok(ids) + self.pos.weight[: ids.size(1)]
        for b in self.blocks:
            x = b(x, allowed)
        return self.lm(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 8192, (3, 96))
    ids[0, 70:] = PAD
    ids[2, 33:] = PAD
    model = ReviewGenerator()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 8192), ids[:, 1:].reshape(-1), ignore_index=PAD)
    loss.backward()
    print("nll", round(loss.item(), 4))
