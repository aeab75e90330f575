"""Autoregressive mu-law waveform transformer over 8-bit samples (fixed-length frames)."""
import torch
import torch.nn as nn


class EinsumCausalAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1) for t in (q, k, v))
        sim = torch.einsum("bihd,bjhd->bhij", q, k) * self.scale
        i = torch.arange(n, device=x.device)
        future = i[None, :] >= i[:, None]          # key index j vs query index i
        sim = sim.masked_fill(future, float("-inf"))  # expect: ML404
        attn = sim.softmax(dim=-1)
        out = torch.einsum("bhij,bjhd->bihd", attn, v).reshape(b, n, -1)
        return self.to_out(out)


class SampleTransformer(nn.Module):
    def __init__(self, dim=128, heads=4, depth=4, frame=256):
        super().__init__()
        self.embed = nn.Embedding(256, dim)
        self.pos = nn.Parameter(torch.randn(frame, dim) * 0.02)
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.LayerNorm(dim), EinsumCausalAttention(dim, heads), nn.LayerNorm(dim),
                           nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))])
            for _ in range(depth)
        )
        self.logits = nn.Linear(dim, 256)

    def forward(self, samples):
        x = self.embed(samples) + self.pos[: samples.size(1)]
        for ln1, attn, ln2, ff in self.layers:
            x = x + attn(ln1(x))
            x = x + ff(ln2(x))
        return self.logits(x)


def mu_law(wav, mu=255):
    y = torch.sign(wav) * torch.log1p(mu * wav.abs()) / torch.log1p(torch.tensor(float(mu)))
    return ((y + 1) / 2 * mu + 0.5).long().clamp(0, mu)


if __name__ == "__main__":
    torch.manual_seed(0)
    wav = torch.sin(torch.linspace(0, 200, 4 * 257)).view(4, 257) * 0.5 + 0.05 * torch.randn(4, 257)
    q = mu_law(wav)
    model = SampleTransformer()
    logits = model(q[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 256), q[:, 1:].reshape(-1))
    print("sample nll", loss.item(), "(nan)" if torch.isnan(loss) else "")
