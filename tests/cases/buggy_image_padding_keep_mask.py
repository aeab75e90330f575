"""Images padded onto one canvas, with a mask that is True at each image's real pixels (a box at
the top left), brought to the feature map's size and flattened: a keep mask, given to the decoder
as memory_key_padding_mask (True = ignored), so object queries attend only to the padded border."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def batch_images(images, canvas=32):
    out = torch.zeros(len(images), 3, canvas, canvas)
    valid = torch.zeros(len(images), canvas, canvas, dtype=torch.bool)
    for i, img in enumerate(images):
        h, w = img.shape[-2:]
        out[i, :, :h, :w] = img
        valid[i, :h, :w] = True
    return out, valid


class DetectionHead(nn.Module):
    def __init__(self, d=32, queries=5):
        super().__init__()
        self.backbone = nn.Conv2d(3, d, 4, stride=4)
        self.query = nn.Embedding(queries, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, batch_first=True), 2)

    def forward(self, pixels, valid):
        feat = self.backbone(pixels)
        small = F.interpolate(valid[:, None].float(), size=feat.shape[-2:]).to(torch.bool)[:, 0]
        memory = feat.flatten(2).transpose(1, 2)
        tgt = self.query.weight[None].expand(pixels.size(0), -1, -1)
        return self.decoder(tgt, memory, memory_key_padding_mask=small.flatten(1))


def detect(model, images):
    pixels, valid = batch_images(images)
    return model(pixels, valid)  # expect: ML101
