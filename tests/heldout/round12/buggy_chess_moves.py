"""Next-move language model over UCI move tokens (e2e4, g8f6, ...).

Games of different lengths are right-padded; the model is trained to predict
move t+1 from moves <= t, and sampled move by move in self-play.
"""
import torch
import torch.nn.functional as F
from torch import nn

FILES, RANKS = "abcdefgh", "12345678"
SQUARES = [f + r for f in FILES for r in RANKS]
VOCAB = ["<pad>", "<game>"] + [a + b for a in SQUARES for b in SQUARES if a != b]
PAD, START = 0, 1
STOI = {m: i for i, m in enumerate(VOCAB)}


def encode_games(games, max_len=None):
    rows = [[START] + [STOI[m] for m in g.split()] for g in games]
    width = max_len or max(map(len, rows))
    ids = torch.full((len(rows), width), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r[:width])
    return ids


class MovePredictor(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, max_plies=300):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 4, dropout=0.1, batch_first=True, norm_first=True)
        self.parts = nn.ModuleDict({
            "moves": nn.Embedding(len(VOCAB), dim, padding_idx=PAD),
            "plies": nn.Embedding(max_plies, dim),
            "trunk": nn.TransformerEncoder(layer, depth, enable_nested_tensor=False),
            "policy": nn.Linear(dim, len(VOCAB)),
        })

    def forward(self, ids):
        p = self.parts
        plies = torch.arange(ids.size(1), device=ids.device)
        h = p["moves"](ids) + p["plies"](plies)
        h = p["trunk"](h, src_key_padding_mask=ids.eq(PAD))  # expect: ML401
        return p["policy"](h)

    def loss(self, ids):
        logits = self(ids[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1), ignore_index=PAD)

    @torch.no_grad()
    def continue_game(self, ids, plies=4):
        for _ in range(plies):
            nxt = self(ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
        return [[VOCAB[i] for i in row] for row in ids.tolist()]


if __name__ == "__main__":
    torch.manual_seed(0)
    games = ["e2e4 e7e5 g1f3 b8c6 f1b5 a7a6", "d2d4 g8f6 c2c4"]
    batch = encode_games(games)
    model = MovePredictor()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for step in range(3):
        loss = model.loss(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step} loss {loss.item():.3f}")
    model.eval()
    print(model.continue_game(encode_games(["e2e4"]), plies=2))
