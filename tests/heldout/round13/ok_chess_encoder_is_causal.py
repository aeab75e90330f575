"""Move-sequence language model for chess (UCI move tokens), decoder-only via nn.TransformerEncoder."""
import torch
import torch.nn as nn


def square_subsequent(sz: int, device=None) -> torch.Tensor:
    # additive: 0 on and below the diagonal, -inf strictly above
    return torch.full((sz, sz), float("-inf"), device=device).triu(diagonal=1)


class ChessLM(nn.Module):
    def __init__(self, n_moves=1968, d_model=256, nhead=8, num_layers=4):
        super().__init__()
        self.move = nn.Embedding(n_moves, d_model)
        self.ply = nn.Embedding(512, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.trunk = nn.TransformerEncoder(enc_layer, num_layers)
        self.policy = nn.Linear(d_model, n_moves)
        self.value = nn.Linear(d_model, 3)  # win / draw / loss

    def forward(self, moves):
        T = moves.size(1)
        x = self.move(moves) + self.ply(torch.arange(T, device=moves.device))
        h = self.trunk(x, mask=square_subsequent(T, moves.device), is_causal=True)
        return self.policy(h), self.value(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    games = torch.randint(0, 1968, (8, 81))
    outcome = torch.randint(0, 3, (8,))
    model = ChessLM()
    pol, val = model(games[:, :-1])
    loss = nn.functional.cross_entropy(pol.reshape(-1, 1968), games[:, 1:].reshape(-1)) \
        + nn.functional.cross_entropy(val[:, -1], outcome)
    loss.backward()
    model.eval()
    with torch.no_grad():
        pol_eval, _ = model(games[:, :-1])
    print("loss", round(loss.item(), 4), "eval policy finite:", bool(torch.isfinite(pol_eval).all()))
