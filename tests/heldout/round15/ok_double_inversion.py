"""Point-of-interest check-in encoder for next-venue recommendation."""
import torch
from torch import nn

PAD_VENUE = 0


class CheckinEncoder(nn.Module):
    def __init__(self, n_venues=500, n_hours=24, dim=48, heads=4):
        super().__init__()
        self.venue = nn.Embedding(n_venues, dim, padding_idx=PAD_VENUE)
        self.hour = nn.Embedding(n_hours, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, n_venues)

    def forward(self, venues, hours):
        valid = venues != PAD_VENUE
        x = self.venue(venues) + self.hour(hours)
        ignore = ~valid
        h, _ = self.attn(x, x, x, key_padding_mask=ignore)
        h = self.norm(x + h)
        user = (h * valid[..., None]).sum(1) / valid.sum(1, keepdim=True)
        return self.out(user)


if __name__ == "__main__":
    torch.manual_seed(0)
    venues = torch.tensor([[12, 40, 7, 0, 0], [3, 3, 99, 250, 18]])
    hours = torch.randint(0, 24, venues.shape)
    model = CheckinEncoder()
    print("train top venue", model(venues, hours).argmax(-1).tolist())
    model.eval()
    with torch.no_grad():
        print("eval top venue ", model(venues, hours).argmax(-1).tolist())
