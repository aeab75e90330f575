"""Decoder-only stack built from a plain dict config; causality is requested by a flag."""
import torch
import torch.nn as nn


class CausalStack(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.causal = cfg.get("causal", True)
        layer = nn.TransformerEncoderLayer(
            d_model=cfg["d_model"],
            nhead=cfg["nhead"],
            dim_feedforward=cfg.get("ffn", 4 * cfg["d_model"]),
            dropout=cfg.get("dropout", 0.1),
            batch_first=True,
        )
        self.layers = nn.ModuleList([layer] + [
            nn.TransformerEncoderLayer(cfg["d_model"], cfg["nhead"], batch_first=True)
            for _ in range(cfg.get("n_layers", 2) - 1)
        ])
        self.lm_head = nn.Linear(cfg["d_model"], cfg["vocab"])

    def forward(self, h):
        for layer in self.layers:
            if self.causal:
                h = layer(h, is_causal=True)  # expect: ML402
            else:
                h = layer(h)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CausalStack({"d_model": 32, "nhead": 4, "vocab": 50, "dropout": 0.0}).eval()
    x = torch.randn(1, 6, 32)
    with torch.no_grad():
        a = m(x)
        x2 = x.clone(); x2[:, -1] += 3
        b = m(x2)
    print("eval leaks future:", (a[:, 0] - b[:, 0]).abs().max().item() > 1e-5)
