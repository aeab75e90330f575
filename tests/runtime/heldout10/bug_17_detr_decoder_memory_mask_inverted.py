# EXPECT: bug the downsampled image mask is True on valid pixels but is passed as memory_key_padding_mask (True = ignore), so object queries attend only to the padded border of the feature map.
"""Set-prediction detection head over a padded CNN feature map in the style of facebookresearch/detr (NestedTensor masks, query decoder)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Backbone(nn.Module):
    def __init__(self, out_channels=32):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, out_channels, 3, stride=2, padding=1), nn.ReLU(),
        )

    def forward(self, images, pixel_valid):
        feat = self.body(images)
        valid = F.interpolate(pixel_valid[:, None].float(), size=feat.shape[-2:]).to(torch.bool)[:, 0]
        return feat, valid


class PositionEmbeddingSine(nn.Module):
    def __init__(self, num_pos_feats=16, temperature=10000):
        super().__init__()
        self.num_pos_feats = num_pos_feats
        self.temperature = temperature

    def forward(self, valid):
        y_embed = valid.cumsum(1, dtype=torch.float32)
        x_embed = valid.cumsum(2, dtype=torch.float32)
        dim_t = torch.arange(self.num_pos_feats, dtype=torch.float32)
        dim_t = self.temperature ** (2 * (dim_t // 2) / self.num_pos_feats)
        pos_x = x_embed[:, :, :, None] / dim_t
        pos_y = y_embed[:, :, :, None] / dim_t
        pos_x = torch.stack((pos_x[:, :, :, 0::2].sin(), pos_x[:, :, :, 1::2].cos()), dim=4).flatten(3)
        pos_y = torch.stack((pos_y[:, :, :, 0::2].sin(), pos_y[:, :, :, 1::2].cos()), dim=4).flatten(3)
        return torch.cat((pos_y, pos_x), dim=3).permute(0, 3, 1, 2)


class DETRHead(nn.Module):
    def __init__(self, num_classes=4, hidden_dim=32, nheads=4, num_queries=5, dec_layers=2, dropout=0.1):
        super().__init__()
        self.backbone = Backbone(hidden_dim)
        self.position_embedding = PositionEmbeddingSine(hidden_dim // 2)
        layer = nn.TransformerDecoderLayer(hidden_dim, nheads, 64, dropout, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, dec_layers, norm=nn.LayerNorm(hidden_dim))
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(hidden_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, 4))

    def forward(self, images, pixel_valid):
        feat, valid = self.backbone(images, pixel_valid)
        pos = self.position_embedding(valid)
        memory = (feat + pos).flatten(2).transpose(1, 2)
        mask = valid.flatten(1)
        tgt = self.query_embed.weight.unsqueeze(0).expand(images.size(0), -1, -1)
        hs = self.decoder(tgt, memory, memory_key_padding_mask=mask)  # BUG-SITE
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


def nested_tensor_from_images(sizes, canvas=20):
    imgs = torch.zeros(len(sizes), 3, canvas, canvas)
    valid = torch.zeros(len(sizes), canvas, canvas, dtype=torch.bool)
    for i, (h, w) in enumerate(sizes):
        imgs[i, :, :h, :w] = torch.randn(3, h, w)
        valid[i, :h, :w] = True
    return imgs, valid


def run():
    torch.manual_seed(0)
    model = DETRHead()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    imgs, valid = nested_tensor_from_images([(16, 12), (10, 16), (12, 8)])
    tgt_cls = torch.randint(0, 5, (3, 5))
    tgt_box = torch.rand(3, 5, 4)
    model.train()
    logits, boxes = model(imgs, valid)
    loss = F.cross_entropy(logits.reshape(-1, 5), tgt_cls.reshape(-1)) + 5.0 * F.l1_loss(boxes, tgt_box)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
    opt.step()
    model.eval()
    with torch.no_grad():
        imgs2, valid2 = nested_tensor_from_images([(8, 8), (16, 16)])
        logits2, boxes2 = model(imgs2, valid2)
    return [loss.detach(), *grads, logits2.softmax(-1), boxes2]
