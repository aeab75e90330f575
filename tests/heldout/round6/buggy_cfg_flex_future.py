"""FlexAttention decoder layer configured from a nested yaml-like dict."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

DEFAULTS = {
    "model": {"dim": 64, "heads": 4, "causal": True},
    "attention": {"impl": "flex", "block_size": 128},
}


def _causal_mod(b, h, q_idx, kv_idx):
    return kv_idx >= q_idx


def _full_mod(b, h, q_idx, kv_idx):
    return q_idx >= 0


class FlexSelfAttention(nn.Module):
    def __init__(self, cfg: dict = DEFAULTS):
        super().__init__()
        m = cfg["model"]
        self.dim = m["dim"]
        self.heads = m["heads"]
        self.causal = m.get("causal", True)
        self.block_size = cfg.get("attention", {}).get("block_size", 128)
        self.qkv = nn.Linear(self.dim, 3 * self.dim)
        self.proj = nn.Linear(self.dim, self.dim)

    def block_mask(self, T: int, device):
        mod = _causal_mod if self.causal else _full_mod
        return create_block_mask(
            mod,  # expect: ML102
            B=None,
            H=None,
            Q_LEN=T,
            KV_LEN=T,
            device=device,
            BLOCK_SIZE=self.block_size,
        )

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        out = flex_attention(q, k, v, block_mask=self.block_mask(T, x.device))
        return self.proj(out.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    m = FlexSelfAttention()
    x = torch.randn(1, 8, 64)
    with torch.no_grad():
        y = m(x)
        x2 = x.clone(); x2[:, -1] += 3
        print("position 0 sees the future:", (m(x2)[:, 0] - y[:, 0]).abs().max().item() > 1e-4)
