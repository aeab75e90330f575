"""Non-autoregressive token denoiser: predicts masked tokens from the whole sequence."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TokenDenoiser(nn.Module):
    def __init__(self, vocab, width=32, heads=4, depth=2, length=16):
        super().__init__()
        self.mask_id = vocab
        self.tokens = nn.Embedding(vocab + 1, width)
        self.positions = nn.Parameter(torch.randn(1, length, width) * 0.02)
        layer = nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, batch_first=True)
        self.body = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.readout = nn.Linear(width, vocab)

    def forward(self, x):
        return self.readout(self.body(self.tokens(x) + self.positions[:, : x.size(1)]))

    def loss(self, clean, ratio=0.5):
        hidden = torch.rand(clean.shape, device=clean.device) < ratio
        corrupted = clean.masked_fill(hidden, self.mask_id)
        logits = self(corrupted)
        return F.cross_entropy(logits[hidden], clean[hidden])

    @torch.no_grad()
    def generate(self, batch, length, steps=4):
        seq = torch.full((batch, length), self.mask_id, dtype=torch.long)
        for s in range(steps):
            probs = self(seq).softmax(-1)
            conf, pred = probs.max(-1)
            conf = conf.masked_fill(seq != self.mask_id, -1.0)
            k = max(1, length * (s + 1) // steps - int((seq != self.mask_id).sum(1).min()))
            idx = conf.topk(k, dim=-1).indices
            seq.scatter_(1, idx, pred.gather(1, idx))
        return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TokenDenoiser(vocab=20)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    data = torch.randint(0, 20, (8, 16))
    for _ in range(3):
        loss = model.loss(data)
        opt.zero_grad(); loss.backward(); opt.step()
    print("loss", loss.item(), model.generate(2, 16).shape)
