"""Multimodal fusion: text tokens attend to image regions with nn.MultiheadAttention.
The mask helper was copied from the text tower, which uses HF-style extended masks."""
import torch
import torch.nn as nn


def get_extended_mask(mask_2d: torch.Tensor) -> torch.Tensor:
    """(B, S) 1/0 -> (B, 1, 1, S) bool, True = hidden."""
    return (mask_2d == 0)[:, None, None, :]


class RegionCrossAttention(nn.Module):
    def __init__(self, d=256, heads=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True, kdim=512, vdim=512)
        self.norm = nn.LayerNorm(d)

    def forward(self, text, regions, region_mask):
        out, weights = self.attn(self.norm(text), regions, regions, attn_mask=region_mask)
        return text + out, weights


class FusionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.text_emb = nn.Embedding(30522, 256)
        self.fuse = nn.ModuleList(RegionCrossAttention() for _ in range(2))
        self.itm = nn.Linear(256, 2)

    def forward(self, input_ids, region_feats, region_valid):
        x = self.text_emb(input_ids)
        region_mask = get_extended_mask(region_valid)
        for layer in self.fuse:
            x, _ = layer(
                x,
                region_feats,
                region_mask,  # expect: ML301
            )
        return self.itm(x[:, 0])


if __name__ == "__main__":
    m = FusionModel()
    valid = torch.ones(2, 36, dtype=torch.long)
    valid[0, 20:] = 0
    try:
        m(torch.randint(0, 30522, (2, 16)), torch.randn(2, 36, 512), valid)
    except (AssertionError, RuntimeError) as e:
        print("error:", str(e)[:90])
