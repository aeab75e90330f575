"""Star-rating regression for product reviews."""
import torch
from torch import nn


class ReviewRater(nn.Module):
    def __init__(self, vocab=20000, dim=64, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.position = nn.Parameter(torch.randn(1, 256, dim) * 0.02)
        block = nn.TransformerEncoderLayer(dim, heads, 128, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(block, layers)
        self.rate = nn.Sequential(nn.Linear(dim, dim), nn.Tanh(), nn.Linear(dim, 1))

    def forward(self, tokens):
        present = tokens.ne(0)
        x = self.embed(tokens) + self.position[:, :tokens.size(1)]
        h = self.encoder(x, src_key_padding_mask=present)  # expect: ML101
        w = present.unsqueeze(-1).float()
        pooled = (h * w).sum(1) / w.sum(1).clamp(min=1.0)
        return 1 + 4 * torch.sigmoid(self.rate(pooled)).squeeze(-1)


def pad_reviews(reviews):
    n = max(len(r) for r in reviews)
    return torch.tensor([r + [0] * (n - len(r)) for r in reviews])


def fit(model, reviews, stars, epochs=5):
    tokens = pad_reviews(reviews)
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    for _ in range(epochs):
        loss = nn.functional.smooth_l1_loss(model(tokens), stars)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    reviews = [[41, 9, 777, 3051, 12], [88, 6], [3, 3, 902, 14, 67, 1200, 5]]
    print(fit(ReviewRater(), reviews, torch.tensor([4.0, 1.0, 5.0])))
