# EXPECT: bug
"""Next-basket scorer: a candidate item attends over the user's past baskets (time-major MHA)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_ITEMS, PAD = 40, 0


class BasketScorer(nn.Module):
    def __init__(self, d=16, heads=2, p=0.1):
        super().__init__()
        self.item = nn.Embedding(N_ITEMS, d, padding_idx=PAD)
        self.attn = nn.MultiheadAttention(d, heads, dropout=p)  # (S, N, E)
        self.drop = nn.Dropout(p)
        self.score = nn.Bilinear(d, d, 1)

    def forward(self, history, candidate):
        keys = self.item(history).transpose(0, 1)        # (S, N, d)
        query = self.item(candidate).unsqueeze(0)        # (1, N, d)
        user, _ = self.attn(query, keys, keys, key_padding_mask=history == PAD)  # BUG-SITE
        return self.score(self.drop(user[0]), query[0]).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = BasketScorer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    history = torch.tensor([[4, 9, 2, 7], [3, 3, 0, 0], [0, 0, 0, 0], [5, 1, 8, 0]])  # user 2 is new
    candidate = torch.tensor([6, 3, 11, 8])
    bought = torch.tensor([1.0, 1.0, 0.0, 0.0])

    model.train()
    loss = F.binary_cross_entropy_with_logits(model(history, candidate), bought)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        scores = model(history, candidate)
    return [loss.detach(), scores]
