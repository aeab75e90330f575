"""Document layout detection: a set of learned queries decodes region boxes (DETR-style)."""
import torch
from torch import nn

REGIONS = ["text", "title", "table", "figure", "list", "no-object"]


class RegionDecoder(nn.Module):
    def __init__(self, n_queries=20, dim=64, heads=4, layers=2):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(n_queries, dim) * 0.02)
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.cls = nn.Linear(dim, len(REGIONS))
        self.box = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 4))

    def forward(self, page_feats, page_pad):
        q = self.queries.unsqueeze(0).expand(page_feats.size(0), -1, -1)
        h = self.decoder(q, page_feats, memory_key_padding_mask=page_pad)
        return self.cls(h), self.box(h).sigmoid()


class PageBackbone(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 32, 8, stride=8), nn.ReLU(), nn.Conv2d(32, dim, 2, stride=2))

    def forward(self, pages, valid_hw):
        f = self.conv(pages)
        b, d, h, w = f.shape
        rows = torch.arange(h)[None, :, None] >= valid_hw[:, 0, None, None]
        cols = torch.arange(w)[None, None, :] >= valid_hw[:, 1, None, None]
        return f.flatten(2).transpose(1, 2), (rows | cols).flatten(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    pages = torch.rand(2, 1, 128, 96)
    valid = torch.tensor([[8, 6], [6, 4]])
    feats, pad = PageBackbone()(pages, valid)
    logits, boxes = RegionDecoder()(feats, pad)
    print(logits.argmax(-1)[0, :8], boxes.shape)
