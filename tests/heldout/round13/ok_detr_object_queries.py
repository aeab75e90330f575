"""DETR-style detector head: learned object queries decode a padded image feature map."""
import torch
import torch.nn as nn


class DetrHead(nn.Module):
    def __init__(self, d=256, nhead=8, num_queries=50, num_classes=91, layers=3):
        super().__init__()
        self.query_embed = nn.Embedding(num_queries, d)
        self.input_proj = nn.Conv2d(512, d, 1)
        dec_layer = nn.TransformerDecoderLayer(d, nhead, 1024, dropout=0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.class_embed = nn.Linear(d, num_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 4))

    def forward(self, feat_map, pixel_valid):
        # feat_map: (N, 512, H, W); pixel_valid: (N, H, W) bool, False on padding added by batching
        memory = self.input_proj(feat_map).flatten(2).transpose(1, 2)          # (N, H*W, d)
        mem_pad = torch.zeros(pixel_valid.shape, dtype=memory.dtype, device=memory.device)
        mem_pad = mem_pad.masked_fill(~pixel_valid, float("-inf")).flatten(1)  # additive, 0 = visible
        queries = self.query_embed.weight.unsqueeze(0).expand(feat_map.size(0), -1, -1)
        # object queries attend to each other freely: no causal mask (set prediction, not generation)
        hs = self.decoder(torch.zeros_like(queries) + queries, memory, memory_key_padding_mask=mem_pad)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


if __name__ == "__main__":
    torch.manual_seed(0)
    feats = torch.randn(2, 512, 20, 25)
    valid = torch.ones(2, 20, 25, dtype=torch.bool)
    valid[1, :, 18:] = False
    valid[1, 15:] = False
    head = DetrHead()
    logits, boxes = head(feats, valid)
    print("logits", tuple(logits.shape), "boxes", tuple(boxes.shape), "finite", bool(torch.isfinite(logits).all()))
