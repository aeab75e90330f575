"""Document-layout detection, DETR style: a fixed set of learned queries
(one per candidate region: paragraph, table, figure, ...) decodes in parallel
from the encoded page patches.  Queries attend to each other freely; there is
no autoregressive order, so the decoder has no target mask.  Pages of
different sizes give padded patch grids, masked on both sides.
"""
import torch
import torch.nn.functional as F
from torch import nn

REGIONS = ["paragraph", "title", "list", "table", "figure", "caption", "footnote", "no_object"]


class LayoutDETR(nn.Module):
    def __init__(self, patch_dim=48, dim=32, heads=4, layers=2, n_queries=12):
        super().__init__()
        self.patch_proj = nn.Linear(patch_dim, dim)
        self.row_emb, self.col_emb = nn.Embedding(64, dim // 2), nn.Embedding(64, dim // 2)
        enc_layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.1, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.queries = nn.Embedding(n_queries, dim)
        self.cls_head = nn.Linear(dim, len(REGIONS))
        self.box_head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 4))

    def forward(self, patches, rows, cols, patch_pad):
        """patches (N, P, patch_dim); rows/cols (N, P) grid coords; patch_pad (N, P) True = padding."""
        pos = torch.cat([self.row_emb(rows), self.col_emb(cols)], dim=-1)
        memory = self.encoder(self.patch_proj(patches) + pos, src_key_padding_mask=patch_pad)
        q = self.queries.weight.unsqueeze(0).expand(patches.size(0), -1, -1)
        h = self.decoder(q, memory, memory_key_padding_mask=patch_pad)
        return self.cls_head(h), self.box_head(h).sigmoid()


def page_grid(h, w, max_h, max_w, patch_dim=48):
    rows, cols = torch.meshgrid(torch.arange(max_h), torch.arange(max_w), indexing="ij")
    pad = (rows >= h) | (cols >= w)
    patches = torch.randn(max_h * max_w, patch_dim) * (~pad).flatten()[:, None]
    return patches, rows.flatten(), cols.flatten(), pad.flatten()


if __name__ == "__main__":
    torch.manual_seed(0)
    pages = [page_grid(6, 4, 6, 5), page_grid(5, 5, 6, 5), page_grid(3, 4, 6, 5)]
    patches, rows, cols, pad = (torch.stack(t) for t in zip(*pages))
    model = LayoutDETR()
    logits, boxes = model(patches, rows, cols, pad)
    target_cls = torch.full(logits.shape[:2], REGIONS.index("no_object"))
    target_cls[:, 0] = REGIONS.index("paragraph")
    loss = F.cross_entropy(logits.flatten(0, 1), target_cls.flatten()) + F.l1_loss(boxes[:, 0], torch.rand(3, 4))
    loss.backward()
    print("detr loss", round(loss.item(), 4), "boxes", tuple(boxes.shape))
