import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBackbone(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, d_model, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 16))
        )

    def forward(self, img):
        return self.net(img).squeeze(2).transpose(1, 2)


class OCRModel(nn.Module):
    def __init__(self, n_chars=80, d_model=64, nhead=4, num_layers=2, max_len=32, pad=0, bos=1):
        super().__init__()
        self.pad, self.bos = pad, bos
        self.backbone = ConvBackbone(d_model)
        self.embed = nn.Embedding(n_chars, d_model, padding_idx=pad)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers)
        self.cls = nn.Linear(d_model, n_chars)

    def decode(self, memory, tokens):
        t = tokens.size(1)
        x = self.embed(tokens) + self.pos[:, :t]
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(t, device=tokens.device)
        pad_mask = tokens == self.pad
        return self.cls(self.decoder(x, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=pad_mask))  # expect: ML204

    def forward(self, images, tokens):
        return self.decode(self.backbone(images), tokens[:, :-1])

    def loss(self, images, tokens):
        logits = self(images, tokens)
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=self.pad)

    @torch.no_grad()
    def greedy(self, images, max_len=20):
        memory = self.backbone(images)
        out = torch.full((images.size(0), 1), self.bos, dtype=torch.long)
        for _ in range(max_len - 1):
            nxt = self.decode(memory, out)[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
        return out


if __name__ == "__main__":
    model = OCRModel()
    imgs = torch.randn(2, 1, 32, 128)
    toks = torch.randint(2, 80, (2, 12))
    toks[1, 8:] = 0
    print(model.loss(imgs, toks).item(), model.eval().greedy(imgs, 6).shape)
