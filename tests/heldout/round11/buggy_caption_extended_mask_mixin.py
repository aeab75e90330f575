"""Text side of an image-captioning ranker; shares mask utilities with the HF-based text tower."""
import torch
import torch.nn as nn


class MaskUtilsMixin:
    dtype_for_masks = torch.float32

    def get_extended_attention_mask(self, attention_mask: torch.Tensor) -> torch.Tensor:
        ext = attention_mask[:, None, None, :].to(self.dtype_for_masks)
        return (1.0 - ext) * torch.finfo(self.dtype_for_masks).min


class CaptionBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.norm = nn.LayerNorm(d)

    def forward(self, x, ext_mask):
        y = self.norm(x)
        y, _ = self.attn(y, y, y, attn_mask=ext_mask, need_weights=False)  # expect: ML301
        x = x + y
        return x + self.mlp(x)


class CaptionTextTower(MaskUtilsMixin, nn.Module):
    def __init__(self, vocab=5000, d=128, h=4, depth=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(max_len, d))
        self.blocks = nn.ModuleList(CaptionBlock(d, h) for _ in range(depth))

    def forward(self, input_ids, attention_mask):
        x = self.tok(input_ids) + self.pos[: input_ids.size(1)]
        ext = self.get_extended_attention_mask(attention_mask)
        for blk in self.blocks:
            x = blk(x, ext)
        w = attention_mask.unsqueeze(-1).float()
        return (x * w).sum(1) / w.sum(1)


if __name__ == "__main__":
    ids = torch.randint(0, 5000, (3, 24))
    am = torch.ones(3, 24, dtype=torch.long)
    am[2, 10:] = 0
    print(CaptionTextTower()(ids, am).shape)
