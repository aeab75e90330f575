"""Formula autocomplete for a spreadsheet app: tokens like '=SUM(', 'A1', ':', 'B7', ')'.
Sequences in a batch are right-padded."""
import torch
import torch.nn as nn
import torch.nn.functional as F

FUNCS = ["SUM", "AVERAGE", "IF", "VLOOKUP", "XLOOKUP", "INDEX", "MATCH", "COUNTIF", "ROUND", "TEXT"]
SPECIAL = ["<pad>", "<bos>", "=", "(", ")", ",", ":", "+", "-", "*", "/", "<num>", "<str>"]
CELLS = [f"{c}{r}" for c in "ABCDEFGH" for r in range(1, 33)]
VOCAB = SPECIAL + FUNCS + CELLS
PAD = 0
NEG = float("-inf")


def additive_masks(ids):
    t = ids.size(1)
    future = torch.full((t, t), NEG, device=ids.device).triu(1)[None, None]      # (1, 1, t, t)
    padding = torch.zeros(ids.shape, device=ids.device).masked_fill(ids == PAD, NEG)[:, None, None, :]  # (B, 1, 1, t)
    return torch.maximum(future, padding)  # BUG: maximum keeps -inf only where BOTH masks block; the future of real tokens and past padding become visible (use minimum or a sum)


class FormulaLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(len(VOCAB), d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(layers))
        self.o = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, len(VOCAB))

    def forward(self, ids):
        b, t = ids.shape
        x = self.emb(ids) + self.pos(torch.arange(t, device=ids.device))
        bias = additive_masks(ids)
        for qkv, o, ln in zip(self.qkv, self.o, self.ln):
            q, k, v = qkv(ln(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            x = x + o(y.transpose(1, 2).reshape(b, t, -1))
        return self.head(x)


def encode(tokens, width):
    ids = [1] + [VOCAB.index(tok) for tok in tokens]
    return ids + [PAD] * (width - len(ids))


if __name__ == "__main__":
    batch = torch.tensor([encode(["=", "SUM", "(", "A1", ":", "A9", ")"], 10), encode(["=", "ROUND", "(", "B2"], 10)])
    lm = FormulaLM()
    logits = lm(batch[:, :-1])
    print(F.cross_entropy(logits.transpose(1, 2), batch[:, 1:], ignore_index=PAD))
