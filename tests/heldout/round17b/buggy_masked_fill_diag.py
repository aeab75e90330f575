"""Small code-completion model over a byte-level BPE vocabulary."""
import torch
from torch import nn

VOCAB = 1024


class CompletionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(),
                                 nn.Linear(4 * dim, dim))

    def forward(self, x, order_mask):
        h = self.ln(x)
        a, self.last_weights = self.attn(h, h, h, attn_mask=order_mask)
        x = x + a
        return x + self.mlp(x)


class CodeCompleter(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3, ctx=128):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(CompletionBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, VOCAB, bias=False)
        self.lm_head.weight = self.tok.weight

    def order_mask(self, n, device):
        mask = torch.zeros(n, n, device=device)
        upper = torch.ones(n, n, dtype=torch.bool, device=device).triu()
        mask.masked_fill_(upper, float("-inf"))  # expect: ML404
        return mask

    def forward(self, ids):
        n = ids.size(1)
        x = self.tok(ids) + self.pos(torch.arange(n, device=ids.device))
        mask = self.order_mask(n, ids.device)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.lm_head(self.norm(x))


@torch.no_grad()
def complete(model, prompt_ids, max_new=20):
    ids = prompt_ids
    for _ in range(max_new):
        nxt = model(ids)[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
    return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodeCompleter().eval()
    print(complete(model, torch.randint(0, VOCAB, (1, 10)))[0, 10:])
