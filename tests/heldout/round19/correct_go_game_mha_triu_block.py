"""Move-sequence model for Go (19x19 + pass), trained to predict the next move."""
import torch
from torch import nn

BOARD = 19
PASS_MOVE = BOARD * BOARD
BOS = PASS_MOVE + 1
PAD = PASS_MOVE + 2
VOCAB = PASS_MOVE + 3


def future_mask(n, device=None):
    # entries above the diagonal are later moves
    return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)


class GoLayer(nn.Module):
    def __init__(self, width, heads, p=0.0):
        super().__init__()
        self.pre = nn.LayerNorm(width)
        self.mha = nn.MultiheadAttention(width, heads, dropout=p, batch_first=True)
        self.post = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 3 * width), nn.SiLU(), nn.Linear(3 * width, width))

    def forward(self, x, mask, pad):
        y = self.pre(x)
        y, _ = self.mha(y, y, y, attn_mask=mask, key_padding_mask=pad, need_weights=False)
        x = x + y
        return x + self.mlp(self.post(x))


class GoMovePredictor(nn.Module):
    def __init__(self, width=128, heads=8, depth=4, max_moves=400):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, width)
        self.colour = nn.Embedding(2, width)
        self.where = nn.Parameter(torch.zeros(max_moves, width))
        self.layers = nn.ModuleList([GoLayer(width, heads) for _ in range(depth)])
        self.out = nn.Linear(width, VOCAB)

    def forward(self, moves):
        n = moves.size(1)
        colour = torch.arange(n, device=moves.device) % 2
        h = self.embed(moves) + self.colour(colour) + self.where[:n]
        mask = future_mask(n, moves.device)
        pad = moves == PAD
        for layer in self.layers:
            h = layer(h, mask, pad)
        return self.out(h)


@torch.no_grad()
def suggest(model, game, k=5):
    model.eval()
    logits = model(game)[:, -1]
    return logits.topk(k, dim=-1).indices


if __name__ == "__main__":
    net = GoMovePredictor()
    g = torch.randint(0, PASS_MOVE, (2, 30))
    g[:, 0] = BOS
    print(suggest(net, g))
