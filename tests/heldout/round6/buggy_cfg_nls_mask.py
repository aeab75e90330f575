"""Encoder with per-sample segment masks; settings read with getattr from a loose config."""
import torch
import torch.nn as nn


class SegmentEncoder(nn.Module):
    """Tokens only attend inside their own segment (packed sequences)."""

    def __init__(self, config):
        super().__init__()
        self.dim = getattr(config, "hidden_size", 64)
        self.heads = getattr(config, "num_attention_heads", 4)
        self.attn = nn.MultiheadAttention(self.dim, self.heads, batch_first=True)
        self.norm = nn.LayerNorm(self.dim)

    @staticmethod
    def segment_block_mask(segment_ids: torch.Tensor) -> torch.Tensor:
        # (N, L, S): True where query and key are in different segments
        return segment_ids[:, :, None] != segment_ids[:, None, :]

    def forward(self, x, segment_ids):
        blocked = self.segment_block_mask(segment_ids)
        h, _ = self.attn(
            x, x, x,
            attn_mask=blocked,  # expect: ML301
            need_weights=False,
        )
        return self.norm(x + h)


if __name__ == "__main__":
    from types import SimpleNamespace
    enc = SegmentEncoder(SimpleNamespace(hidden_size=64, num_attention_heads=4))
    x = torch.randn(3, 6, 64)
    seg = torch.tensor([[0, 0, 0, 1, 1, 1]] * 3)
    try:
        enc(x, seg)
    except RuntimeError as e:
        print("error:", e)
