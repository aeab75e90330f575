"""Predict the next move of a chess game from the current board and move history."""
import torch
from torch import nn

N_MOVES = 1968   # from-square x to-square x promotion vocabulary
N_PIECES = 13    # empty + 6 white + 6 black


class MovePredictor(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.square = nn.Embedding(N_PIECES, dim)
        self.square_pos = nn.Parameter(torch.zeros(64, dim))
        self.move = nn.Embedding(N_MOVES, dim)
        self.move_pos = nn.Embedding(128, dim)
        enc = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        dec = nn.TransformerDecoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.board_encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.history_decoder = nn.TransformerDecoder(dec, layers)
        self.policy = nn.Linear(dim, N_MOVES)

    def forward(self, board, moves):
        n = moves.size(1)
        memory = self.board_encoder(self.square(board) + self.square_pos)
        steps = torch.arange(n, device=moves.device)
        hist = self.move(moves) + self.move_pos(steps)
        order = torch.ones(n, n, dtype=torch.bool, device=moves.device)
        order.tril_()
        h = self.history_decoder(hist, memory, tgt_mask=order)  # expect: ML101
        return self.policy(h)


def imitation_loss(model, board, moves):
    logits = model(board, moves[:, :-1])
    return nn.functional.cross_entropy(logits.reshape(-1, N_MOVES), moves[:, 1:].reshape(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MovePredictor()
    board = torch.randint(0, N_PIECES, (4, 64))
    moves = torch.randint(0, N_MOVES, (4, 20))
    print(imitation_loss(model, board, moves).item())
    model.eval()
    with torch.no_grad():
        print(model(board, moves[:, :5])[:, -1].argmax(-1))
