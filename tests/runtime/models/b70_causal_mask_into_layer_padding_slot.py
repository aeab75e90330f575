"""Buggy: a next-note music model stacks nn.TransformerEncoderLayer blocks and passes its causal
mask positionally as the third argument, which is src_key_padding_mask.  With 6 tunes of 6 notes
the (6, 6) triangle passes as an (N, S) padding mask: tune b sees notes up to b, at every query."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class NoteLM(nn.Module):
    def __init__(self, notes=12, dim=16, depth=2, length=6):
        super().__init__()
        self.emb = nn.Embedding(notes, dim)
        self.pos = nn.Parameter(torch.randn(length, dim) * 0.02)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, 2, 32, dropout=0.1, batch_first=True) for _ in range(depth))
        self.head = nn.Linear(dim, notes)
        future = torch.full((length, length), float("-inf")).triu(1)
        self.register_buffer("future", future)

    def forward(self, notes):
        h = self.emb(notes) + self.pos[: notes.shape[1]]
        for block in self.blocks:
            h = block(h, None, self.future)  # expect: ML501
        return self.head(h)


def run():
    torch.manual_seed(0)
    tunes = torch.randint(0, 12, (6, 6))
    model = NoteLM()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    logits = model(tunes[:, :-1].repeat(1, 2)[:, :6])
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 12), tunes[:, 1:].reshape(-1))
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        return [loss.detach(), model(tunes)]
