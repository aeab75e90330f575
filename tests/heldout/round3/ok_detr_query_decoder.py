"""DETR-style detector: CNN backbone, transformer encoder over the feature
map and a decoder over learned object queries (seq-first layout)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class SinePositionEmbedding(nn.Module):
    def __init__(self, num_pos_feats=128, temperature=10000):
        super().__init__()
        self.num_pos_feats = num_pos_feats
        self.temperature = temperature

    def forward(self, pixel_mask):
        # pixel_mask: (B, H, W) bool, True on padded pixels
        not_mask = ~pixel_mask
        y = not_mask.cumsum(1, dtype=torch.float32)
        x = not_mask.cumsum(2, dtype=torch.float32)
        dim_t = torch.arange(self.num_pos_feats, dtype=torch.float32, device=pixel_mask.device)
        dim_t = self.temperature ** (2 * (dim_t // 2) / self.num_pos_feats)
        px, py = x[..., None] / dim_t, y[..., None] / dim_t
        px = torch.stack((px[..., 0::2].sin(), px[..., 1::2].cos()), dim=4).flatten(3)
        py = torch.stack((py[..., 0::2].sin(), py[..., 1::2].cos()), dim=4).flatten(3)
        return torch.cat((py, px), dim=3).permute(0, 3, 1, 2)


class DETR(nn.Module):
    def __init__(self, num_classes=91, num_queries=100, d_model=256, nhead=8, enc_layers=6, dec_layers=6):
        super().__init__()
        backbone = torchvision.models.resnet50(weights=None)
        self.backbone = nn.Sequential(*list(backbone.children())[:-2])
        self.input_proj = nn.Conv2d(2048, d_model, kernel_size=1)
        self.pos = SinePositionEmbedding(d_model // 2)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 2048, 0.1), enc_layers)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d_model, nhead, 2048, 0.1), dec_layers, norm=nn.LayerNorm(d_model)
        )
        self.query_embed = nn.Embedding(num_queries, d_model)
        self.class_embed = nn.Linear(d_model, num_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(d_model, d_model), nn.ReLU(), nn.Linear(d_model, 4))

    def forward(self, images, pixel_mask):
        # images: (B, 3, H, W) padded to a common size; pixel_mask: (B, H, W) True = padding
        feat = self.backbone(images)
        mask = F.interpolate(pixel_mask[None].float(), size=feat.shape[-2:])[0].bool()  # (B, h, w)
        pos = self.pos(mask)
        src = self.input_proj(feat)
        B, C, h, w = src.shape
        src = src.flatten(2).permute(2, 0, 1)  # (h*w, B, C)
        pos = pos.flatten(2).permute(2, 0, 1)
        key_padding = mask.flatten(1)  # (B, h*w)

        # encoder: bidirectional over image positions, only padding is masked
        memory = self.encoder(src + pos, src_key_padding_mask=key_padding)

        # decoder: object queries are a set, not a sequence -> no causal mask
        query = self.query_embed.weight.unsqueeze(1).repeat(1, B, 1)  # (Q, B, C)
        tgt = torch.zeros_like(query)
        hs = self.decoder(tgt + query, memory + pos, memory_key_padding_mask=key_padding)
        hs = hs.transpose(0, 1)  # (B, Q, C)
        return {"pred_logits": self.class_embed(hs), "pred_boxes": self.bbox_embed(hs).sigmoid()}
