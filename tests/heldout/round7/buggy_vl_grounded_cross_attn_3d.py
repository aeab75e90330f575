"""Phrase-grounded cross-attention: each text token of a referring expression
may only attend to image patches inside its annotated box (box-constrained
cross-attention used in grounding models)."""
import torch
import torch.nn as nn

GRID = 4  # 4x4 patch grid


def boxes_to_patch_mask(token_boxes, grid=GRID):
    """token_boxes: (B, T, 4) in [0, 1] (x0, y0, x1, y1).
    Returns (B, T, grid*grid) bool, True where the patch lies OUTSIDE the token's box."""
    centers = (torch.arange(grid) + 0.5) / grid
    cy, cx = torch.meshgrid(centers, centers, indexing="ij")
    cx, cy = cx.reshape(-1), cy.reshape(-1)
    x0, y0, x1, y1 = token_boxes.unbind(-1)
    inside = (cx >= x0[..., None]) & (cx <= x1[..., None]) & (cy >= y0[..., None]) & (cy <= y1[..., None])
    return ~inside


class GroundedFusion(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, text, patches, token_boxes):
        outside = boxes_to_patch_mask(token_boxes)
        fused, weights = self.cross(
            self.norm(text), patches, patches,
            attn_mask=outside,  # expect: ML301
        )
        return text + fused, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    fusion = GroundedFusion()
    text = torch.randn(2, 3, 32)
    patches = torch.randn(2, GRID * GRID, 32)
    boxes = torch.tensor([[[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.5, 0.5], [0.5, 0.5, 1.0, 1.0]],
                          [[0.0, 0.0, 0.5, 1.0], [0.5, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]]])
    try:
        out, _ = fusion(text, patches, boxes)
        print("ran:", out.shape)
    except RuntimeError as e:
        print("failed:", e)
