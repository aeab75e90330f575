# EXPECT: ok
"""DETR-style set prediction: learned object queries go through
nn.TransformerDecoder over image-patch memory with no tgt_mask.  The queries
are a set, not a sequence, so no causal mask is wanted; images are fixed-size,
so there is no padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyDETR(nn.Module):
    def __init__(self, d=32, heads=4, n_queries=5, n_cls=3, p=0.1):
        super().__init__()
        self.backbone = nn.Conv2d(3, d, kernel_size=4, stride=4)
        self.pos = nn.Parameter(torch.randn(16, d) * 0.02)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 64, p, batch_first=True), 1, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, 64, p, batch_first=True), 2)
        self.query_embed = nn.Embedding(n_queries, d)
        self.class_head = nn.Linear(d, n_cls + 1)
        self.box_head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 4))

    def forward(self, images):
        f = self.backbone(images).flatten(2).transpose(1, 2)  # (B, 16, d)
        memory = self.encoder(f + self.pos)
        q = self.query_embed.weight.unsqueeze(0).expand(images.size(0), -1, -1)
        hs = self.decoder(q, memory)
        return self.class_head(hs), self.box_head(hs).sigmoid()


def run():
    torch.manual_seed(113)
    images = torch.randn(6, 3, 16, 16)
    cls_t = torch.randint(0, 4, (6, 5))
    box_t = torch.rand(6, 5, 4)
    model = TinyDETR()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    model.train()
    logits, boxes = model(images)
    loss = F.cross_entropy(logits.reshape(-1, 4), cls_t.reshape(-1)) + F.l1_loss(boxes, box_t)
    opt.zero_grad()
    loss.backward()
    g = model.query_embed.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev_logits, ev_boxes = model(images)
    return [loss.detach(), g, ev_logits, ev_boxes]
