"""Pointer network that orders delivery stops into a route (decoding picks one stop at a time)."""
import torch
from torch import nn


class StopEncoder(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.inp = nn.Linear(4, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)

    def forward(self, stops, absent):
        x = self.inp(stops)
        h, _ = self.attn(x, x, x, key_padding_mask=absent)
        return self.ln(x + h)


class RoutePointer(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.encoder = StopEncoder(dim, heads)
        self.query = nn.GRUCell(dim, dim)
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)

    def forward(self, stops, absent):
        enc = self.encoder(stops, absent)
        b = stops.size(0)
        keep = (~absent).unsqueeze(-1).float()
        h = (enc * keep).sum(1) / keep.sum(1)
        visited = absent.clone()
        order, logps = [], []
        for _ in range(int((~absent).sum(-1).max())):
            done = visited.all(-1)
            logits = (self.wk(enc) @ self.wq(h).unsqueeze(-1)).squeeze(-1)
            logits = logits.masked_fill(visited, float("-inf")).masked_fill(done[:, None], 0.0)
            pick = logits.argmax(-1)
            logps.append(logits.log_softmax(-1).gather(1, pick[:, None]).masked_fill(done[:, None], 0.0))
            order.append(pick.masked_fill(done, -1))
            visited = visited.scatter(1, pick[:, None], True)
            h = self.query(enc[torch.arange(b), pick], h)
        return torch.stack(order, 1), torch.cat(logps, 1)


def teacher_forced_loss(model, stops, absent, order):
    """Cross-entropy of the reference order; at step t the stops taken earlier are excluded."""
    enc = model.encoder(stops, absent)
    b, n, _ = enc.shape
    h = enc.mean(1)
    states = []
    for t in range(n):
        states.append(h)
        h = model.query(enc[torch.arange(b), order[:, t]], h)
    states = torch.stack(states, 1)
    ranks = torch.empty_like(order).scatter_(1, order, torch.arange(n).expand_as(order))
    taken_before = torch.tril(torch.ones(n, n, dtype=torch.bool), diagonal=-1)
    taken = taken_before[:, ranks].permute(1, 0, 2)
    logits = model.wq(states) @ model.wk(enc).transpose(1, 2)
    logits = logits.masked_fill(taken, float("-inf"))
    return nn.functional.cross_entropy(logits.flatten(0, 1), order.flatten())


if __name__ == "__main__":
    torch.manual_seed(0)
    stops = torch.rand(2, 6, 4)
    absent = torch.zeros(2, 6, dtype=torch.bool)
    absent[1, 4:] = True
    model = RoutePointer()
    order, logp = model(stops[:1], absent[:1])
    print(order, teacher_forced_loss(model, stops[:1], absent[:1], order).item())
