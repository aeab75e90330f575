"""Chess move-sequence model (UCI move tokens), seq-first nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_MOVES = 1968


class MoveLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        y = self.n1(x)
        x = x + self.attn(y, y, y, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class MovePredictor(nn.Module):
    def __init__(self, d=32, h=4, n=2, max_ply=128):
        super().__init__()
        self.move_emb = nn.Embedding(N_MOVES, d)
        self.ply_emb = nn.Embedding(max_ply, d)
        self.layers = nn.ModuleList(MoveLayer(d, h) for _ in range(n))
        self.policy = nn.Linear(d, N_MOVES)

    def forward(self, moves):
        L = moves.size(0)
        mask = torch.empty(L, L, dtype=torch.bool, device=moves.device)
        mask.fill_(True)
        mask.triu_(1)
        x = self.move_emb(moves) + self.ply_emb(torch.arange(L, device=moves.device)).unsqueeze(1)
        for layer in self.layers:
            x = layer(x, mask)
        return self.policy(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MovePredictor()
    games = torch.randint(0, N_MOVES, (14, 2))
    logits = model(games[:-1])
    loss = F.cross_entropy(logits.flatten(0, 1), games[1:].flatten())
    games2 = games.clone()
    games2[10:] = 7
    same_prefix = torch.allclose(model(games2[:-1])[:9], logits[:9], atol=1e-5)
    print("loss", round(loss.item(), 5), "prefix-stable", same_prefix)
