import torch
import torch.nn as nn


class PatchEmbed(nn.Module):
    def __init__(self, in_ch=1, dim=64, patch=4):
        super().__init__()
        self.proj = nn.Conv1d(in_ch, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).transpose(1, 2)


class CausalBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, causal_mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, causal_mask)[0]  # expect: ML501
        return x + self.mlp(self.norm2(x))


class ECGNextPatch(nn.Module):
    """Autoregressive model over ECG patches: predicts patch t+1 from patches <= t."""

    def __init__(self, patch=4, dim=64, heads=4, depth=2, max_patches=256):
        super().__init__()
        self.patch = patch
        self.embed = PatchEmbed(1, dim, patch)
        self.pos = nn.Parameter(torch.zeros(1, max_patches, dim))
        self.blocks = nn.ModuleList([CausalBlock(dim, heads) for _ in range(depth)])
        self.head = nn.Linear(dim, patch)
        self.register_buffer(
            "causal", torch.triu(torch.ones(max_patches, max_patches, dtype=torch.bool), diagonal=1), persistent=False
        )

    def forward(self, signal):
        x = self.embed(signal)
        n = x.size(1)
        x = x + self.pos[:, :n]
        for blk in self.blocks:
            x = blk(x, self.causal[:n, :n])
        return self.head(x)

    def loss(self, signal):
        pred = self(signal)[:, :-1]
        target = signal.unfold(-1, self.patch, self.patch).squeeze(1)[:, 1:]
        return nn.functional.mse_loss(pred, target)


if __name__ == "__main__":
    model = ECGNextPatch()
    ecg = torch.randn(8, 1, 128)
    print(model.loss(ecg).item())
