"""Local-attention decoder layer: the band mask is built once per length and cached on self."""
import torch
import torch.nn as nn


class BandDecoderLayer(nn.Module):
    def __init__(self, dim=32, heads=4, radius=2):
        super().__init__()
        self.radius = radius
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self._band = None

    def _update_band(self, T, device):
        if self._band is None or self._band.size(0) != T:
            i = torch.arange(T, device=device)
            # True = too far away (outside +-radius)
            self._band = (i[:, None] - i[None, :]).abs() > self.radius
        return self._band

    def forward(self, x):
        self._update_band(x.size(1), x.device)
        h, _ = self.self_attn(  # expect: ML402
            x, x, x,
            attn_mask=self._band,
            need_weights=False,
            is_causal=True,
        )
        return self.norm(x + h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BandDecoderLayer()
    x = torch.randn(1, 6, 32)
    with torch.no_grad():
        train_out = m.train()(x)
        eval_out = m.eval()(x)
    print("train and eval disagree:", (train_out - eval_out).abs().max().item() > 1e-4)
