"""Word-level LM on nn.TransformerEncoder with a sampling loop."""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d, max_len=512):
        super().__init__()
        pos = torch.arange(max_len)[:, None]
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class TransformerLM(nn.Module):
    def __init__(self, ntoken=100, d=32, nhead=4, nlayers=2):
        super().__init__()
        self.emb = nn.Embedding(ntoken, d)
        self.pos = PositionalEncoding(d)
        layer = nn.TransformerEncoderLayer(d, nhead, 64, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, nlayers)
        self.decoder = nn.Linear(d, ntoken)
        self.d = d

    def forward(self, src):
        x = self.pos(self.emb(src) * math.sqrt(self.d))
        h = self.encoder(x)  # expect: ML401
        return self.decoder(h)


def train_step(model, batch, opt):
    inp, tgt = batch[:, :-1], batch[:, 1:]
    logits = model(inp)
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1))
    opt.zero_grad(); loss.backward(); opt.step()
    return loss.item()


@torch.no_grad()
def sample(model, prompt, n=10):
    model.eval()
    out = prompt
    for _ in range(n):
        nxt = model(out)[:, -1].softmax(-1).multinomial(1)
        out = torch.cat([out, nxt], dim=1)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = TransformerLM().eval()
    a = torch.randint(0, 100, (1, 6)); b = a.clone(); b[0, -1] = (b[0, -1] + 1) % 100
    with torch.no_grad():
        print("t=0 prediction depends on t=5:", (m(a)[0, 0] - m(b)[0, 0]).abs().max().item() > 1e-5)
