"""DETR-style set-prediction decoder: learned object queries, no causal mask by design."""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, i, h, o, n):
        super().__init__()
        dims = [i] + [h] * (n - 1)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims, dims[1:] + [o]))

    def forward(self, x):
        for k, layer in enumerate(self.layers):
            x = layer(x) if k == len(self.layers) - 1 else torch.relu(layer(x))
        return x


class DetectionHead(nn.Module):
    def __init__(self, num_classes=91, num_queries=100, d_model=256, nhead=8, num_dec=6, backbone_ch=2048):
        super().__init__()
        self.input_proj = nn.Conv2d(backbone_ch, d_model, kernel_size=1)
        self.query_embed = nn.Embedding(num_queries, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 2048, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, 6, enable_nested_tensor=False)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 2048, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(dec_layer, num_dec, norm=nn.LayerNorm(d_model))
        self.class_embed = nn.Linear(d_model, num_classes + 1)
        self.bbox_embed = MLP(d_model, d_model, 4, 3)

    def forward(self, features, pixel_mask, pos):
        # features: (B, C, H, W); pixel_mask: (B, H, W) True on padded pixels; pos: (B, d, H, W)
        src = self.input_proj(features).flatten(2).transpose(1, 2)      # (B, HW, d)
        pos = pos.flatten(2).transpose(1, 2)
        key_pad = pixel_mask.flatten(1)                                  # (B, HW)
        memory = self.encoder(src + pos, src_key_padding_mask=key_pad)
        queries = self.query_embed.weight.unsqueeze(0).expand(src.size(0), -1, -1)
        hs = self.decoder(
            torch.zeros_like(queries) + queries,
            memory + pos,
            memory_key_padding_mask=key_pad,
        )
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


if __name__ == "__main__":
    head = DetectionHead(backbone_ch=64)
    feats = torch.randn(2, 64, 8, 10)
    mask = torch.zeros(2, 8, 10, dtype=torch.bool)
    mask[1, :, 7:] = True
    logits, boxes = head(feats, mask, torch.randn(2, 256, 8, 10))
    print(logits.shape, boxes.shape)
