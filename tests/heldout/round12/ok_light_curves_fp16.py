"""Variable-star classification from irregularly sampled light curves.

Attention is written out (the survey pipeline exports the attention logits)
and runs in float16 at inference.  Masked logits are filled with the most
negative value of the logits' own dtype, which is finite in every precision.
"""
import torch
import torch.nn.functional as F
from torch import nn

CLASSES = ["RR_Lyrae", "Cepheid", "eclipsing_binary", "Mira", "delta_Scuti", "non_variable"]


class ObservationAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h, self.dh = heads, dim // heads
        self.q, self.k, self.v = (nn.Linear(dim, dim) for _ in range(3))
        self.o = nn.Linear(dim, dim)

    def forward(self, x, observed):
        n, s, d = x.shape
        q, k, v = (f(x).view(n, s, self.h, self.dh).transpose(1, 2) for f in (self.q, self.k, self.v))
        logits = q @ k.transpose(-1, -2) / self.dh ** 0.5
        logits = logits.masked_fill(~observed[:, None, None, :], torch.finfo(logits.dtype).min)
        probs = logits.softmax(-1, dtype=torch.float32).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(n, s, d))


class LightCurveNet(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(3, dim)                       # magnitude, error, phase-folded time
        self.time = nn.Linear(2, dim)
        self.layers = nn.ModuleList(ObservationAttention(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, len(CLASSES))

    def forward(self, obs, mjd, observed):
        t = (mjd - mjd[:, :1]) / 100.0
        x = self.inp(obs) + self.time(torch.stack([t.sin(), t.cos()], -1))
        for layer in self.layers:
            x = x + layer(F.layer_norm(x, x.shape[-1:]), observed)
        w = observed.unsqueeze(-1).to(x.dtype)
        return self.out((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    n_obs = torch.tensor([40, 25, 12])
    observed = torch.arange(40)[None] < n_obs[:, None]
    mjd = torch.cumsum(torch.rand(3, 40) * 5, 1)            # days since survey start
    obs = torch.randn(3, 40, 3) * observed[..., None]
    model = LightCurveNet()
    loss = F.cross_entropy(model(obs, mjd, observed), torch.tensor([0, 2, 5]))
    loss.backward()
    model = model.eval().half()
    with torch.no_grad():
        logits = model(obs.half(), mjd.half(), observed)
    print("fp32 loss", round(loss.item(), 4), "fp16 finite:", torch.isfinite(logits).all().item())
