"""A model over tokens whose head is not as wide as its embedding (a start token has an id of
its own, the head predicts only the real bins) is still a language model when the file samples
it token by token, feeding each new token back in."""
import torch
import torch.nn.functional as F
from torch import nn

BINS, START = 16, 16


class MoveModel(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(BINS + 1, dim)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, batch_first=True), 2)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.head = nn.Linear(dim, BINS)

    def forward(self, moves):
        x = self.emb(moves)
        x = self.enc(x)  # expect: ML401
        x = x + self.attn(x, x, x)[0]  # expect: ML401
        return self.head(x)


@torch.no_grad()
def sample_moves(model, n):
    seq = torch.full((1, 1), START)
    for _ in range(n):
        probs = model(seq)[:, -1].softmax(-1)
        seq = torch.cat([seq, torch.multinomial(probs, 1)], dim=1)
    return seq[0, 1:].tolist()


if __name__ == "__main__":
    model = MoveModel()
    moves = torch.randint(0, BINS, (2, 9))
    inp = F.pad(moves[:, :-1], (1, 0), value=START)
    F.cross_entropy(model(inp).flatten(0, 1), moves.flatten()).backward()
    print(sample_moves(model.eval(), 5))
