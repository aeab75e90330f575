"""Table-structure recogniser: DETR-style decoder that predicts cell boxes from a page image."""
import torch
from torch import nn


class TableCellDETR(nn.Module):
    def __init__(self, d_model=64, nhead=4, n_queries=12, n_classes=4, layers=2):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(1, d_model, 8, 8), nn.ReLU())
        self.row_embed = nn.Parameter(torch.randn(32, d_model // 2) * 0.1)
        self.col_embed = nn.Parameter(torch.randn(32, d_model // 2) * 0.1)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 128, 0.0, batch_first=True), layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 128, 0.0, batch_first=True), layers)
        self.query_embed = nn.Embedding(n_queries, d_model)
        self.class_head = nn.Linear(d_model, n_classes + 1)
        self.box_head = nn.Sequential(nn.Linear(d_model, d_model), nn.ReLU(), nn.Linear(d_model, 4))

    def forward(self, pages, page_pad):
        """pages: (B, 1, H, W) padded to the batch max; page_pad: (B, H, W) True outside the page."""
        f = self.backbone(pages)
        B, D, h, w = f.shape
        pos = torch.cat([self.row_embed[:h, None].expand(h, w, -1), self.col_embed[None, :w].expand(h, w, -1)], -1)
        src = f.flatten(2).transpose(1, 2) + pos.flatten(0, 1)
        pad = nn.functional.interpolate(page_pad[:, None].float(), size=(h, w)).bool().flatten(1)
        memory = self.encoder(src, src_key_padding_mask=pad)
        queries = self.query_embed.weight[None].expand(B, -1, -1)
        hs = self.decoder(torch.zeros_like(queries) + queries, memory, memory_key_padding_mask=pad)
        return self.class_head(hs), self.box_head(hs).sigmoid()


if __name__ == "__main__":
    torch.manual_seed(0)
    pages = torch.zeros(2, 1, 64, 64)
    pad = torch.ones(2, 64, 64, dtype=torch.bool)
    pages[0, :, :64, :48] = torch.rand(1, 64, 48)
    pad[0, :64, :48] = False
    pages[1, :, :40, :64] = torch.rand(1, 40, 64)
    pad[1, :40, :64] = False
    logits, boxes = TableCellDETR()(pages, pad)
    print("logits", logits.shape, "boxes", boxes.shape)
