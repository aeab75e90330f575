"""A user's word-level LM built on nn.Transformer (pytorch/tutorials#719):
source and target are the same token stream shifted by one."""
import torch
import torch.nn as nn


class TransformerLM(nn.Module):
    def __init__(self, ntoken=40, d_model=16, nhead=2, nlayers=1):
        super().__init__()
        self.embed = nn.Embedding(ntoken, d_model)
        self.model = nn.Transformer(d_model, nhead, nlayers, nlayers, dim_feedforward=32, dropout=0.0)
        self.out = nn.Linear(d_model, ntoken)

    def forward(self, src, tgt):
        h = self.model(self.embed(src), self.embed(tgt))  # BUG
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = TransformerLM()
    stream = torch.randint(0, 40, (8, 2))
    src, tgt = stream[:-1], stream[1:]
    src2, tgt2 = src.clone(), tgt.clone()
    src2[-1] = (src2[-1] + 3) % 40; tgt2[-1] = (tgt2[-1] + 3) % 40
    a, b = lm(src, tgt), lm(src2, tgt2)
    print("prefix change when last token changes:", (a[:-1] - b[:-1]).abs().max().item())
