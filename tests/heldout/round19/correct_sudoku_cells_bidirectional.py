"""Sudoku solver that fills all 81 cells in parallel (masked-cell prediction, not left-to-right generation):
every cell attends to every other cell, so the encoder takes no mask. Iterative refinement at inference."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EMPTY = 0


class SudokuNet(nn.Module):
    def __init__(self, d=96, heads=4, layers=4):
        super().__init__()
        self.digit = nn.Embedding(10, d)  # 0 = empty
        idx = torch.arange(81)
        self.register_buffer("row", idx // 9, persistent=False)
        self.register_buffer("col", idx % 9, persistent=False)
        self.register_buffer("box", (idx // 27) * 3 + (idx % 9) // 3, persistent=False)
        self.row_emb, self.col_emb, self.box_emb = nn.Embedding(9, d), nn.Embedding(9, d), nn.Embedding(9, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d, 9)

    def forward(self, grid):
        # grid: (B, 81) digits 0..9
        x = self.digit(grid) + self.row_emb(self.row) + self.col_emb(self.col) + self.box_emb(self.box)
        return self.out(self.encoder(x))  # logits for digits 1..9


def train_step(model, puzzles, solutions, opt):
    logits = model(puzzles)
    blank = puzzles == EMPTY
    loss = F.cross_entropy(logits[blank], solutions[blank] - 1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


@torch.no_grad()
def solve(model, puzzle, rounds=81):
    model.eval()
    grid = puzzle.clone()
    for _ in range(rounds):
        blank = grid == EMPTY
        if not blank.any():
            break
        probs = model(grid).softmax(-1)
        conf, digit = probs.max(-1)
        conf = conf.masked_fill(~blank, -1.0)
        cell = conf.argmax(-1)
        rows = torch.arange(grid.size(0))
        grid[rows, cell] = torch.where(blank[rows, cell], digit[rows, cell] + 1, grid[rows, cell])
    return grid


if __name__ == "__main__":
    puzzle = torch.zeros(1, 81, dtype=torch.long)
    puzzle[0, [0, 10, 20, 40, 80]] = torch.tensor([5, 3, 7, 1, 9])
    print(solve(SudokuNet(), puzzle).view(9, 9))
