import torch
import torch.nn as nn
import torch.nn.functional as F


class SequenceEncoder(nn.Module):
    def __init__(self, n_symbols, width=32, heads=4, depth=2, context=48):
        super().__init__()
        self.context = context
        self.symbols = nn.Embedding(n_symbols, width)
        self.positions = nn.Embedding(context, width)
        block = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=0.0,
                                           activation="gelu", batch_first=True)
        self.body = nn.TransformerEncoder(block, depth, enable_nested_tensor=False)
        self.readout = nn.Linear(width, n_symbols)

    def forward(self, x):
        t = torch.arange(x.size(1), device=x.device)
        h = self.symbols(x) + self.positions(t)
        h = self.body(h)  # expect: ML401
        return self.readout(h)

    def compute_loss(self, chunk):
        inputs, targets = chunk[:, :-1], chunk[:, 1:]
        logits = self(inputs)
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))

    @torch.no_grad()
    def sample(self, prompt, n_new, temperature=1.0):
        seq = prompt
        for _ in range(n_new):
            logits = self(seq[:, -self.context:])[:, -1] / temperature
            seq = torch.cat([seq, torch.multinomial(logits.softmax(-1), 1)], dim=1)
        return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SequenceEncoder(n_symbols=27)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    chunk = torch.randint(0, 27, (4, 17))
    for _ in range(3):
        loss = model.compute_loss(chunk)
        opt.zero_grad(); loss.backward(); opt.step()
    print("loss", loss.item(), model.sample(chunk[:1, :4], 5).tolist())
