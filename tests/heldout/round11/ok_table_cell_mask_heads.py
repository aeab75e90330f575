"""Table question answering: cells attend only to cells in the same row or column (plus the question)."""
import torch
import torch.nn as nn


def structure_block_mask(row_ids, col_ids):
    same_row = row_ids[:, :, None] == row_ids[:, None, :]
    same_col = col_ids[:, :, None] == col_ids[:, None, :]
    question = (row_ids == 0)[:, None, :] | (row_ids == 0)[:, :, None]
    return ~(same_row | same_col | question)


class TableLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, blocked):
        per_head = blocked.repeat_interleave(self.heads, dim=0)
        x = self.n1(x + self.attn(x, x, x, attn_mask=per_head, need_weights=False)[0])
        return self.n2(x + self.ff(x))


class TableQA(nn.Module):
    def __init__(self, vocab=8000, d=96, heads=4, depth=2, max_rc=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.row = nn.Embedding(max_rc, d)
        self.col = nn.Embedding(max_rc, d)
        self.layers = nn.ModuleList(TableLayer(d, heads) for _ in range(depth))
        self.select = nn.Linear(d, 1)

    def forward(self, ids, row_ids, col_ids):
        x = self.tok(ids) + self.row(row_ids) + self.col(col_ids)
        blocked = structure_block_mask(row_ids, col_ids)
        for layer in self.layers:
            x = layer(x, blocked)
        return self.select(x).squeeze(-1)


if __name__ == "__main__":
    B, N = 2, 40
    ids = torch.randint(0, 8000, (B, N))
    row_ids = torch.cat([torch.zeros(B, 8, dtype=torch.long), torch.randint(1, 6, (B, N - 8))], 1)
    col_ids = torch.cat([torch.zeros(B, 8, dtype=torch.long), torch.randint(1, 5, (B, N - 8))], 1)
    print(TableQA()(ids, row_ids, col_ids).shape)
