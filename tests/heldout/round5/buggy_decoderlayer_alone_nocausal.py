"""Handwriting recognition: CNN encoder + autoregressive character decoder built from a single
nn.TransformerDecoderLayer applied N times (weights shared, ALBERT style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SOS, EOS, PAD = 1, 2, 0


class SharedLayerDecoder(nn.Module):
    def __init__(self, n_chars=80, d=256, heads=8, n_iter=4, max_len=64):
        super().__init__()
        self.n_iter = n_iter
        self.char_emb = nn.Embedding(n_chars, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.layer = nn.TransformerDecoderLayer(d, heads, 1024, 0.1, batch_first=True, norm_first=True)
        self.classifier = nn.Linear(d, n_chars)

    def forward(self, chars, memory):
        pad = chars.eq(PAD)
        x = self.char_emb(chars) + self.pos(torch.arange(chars.size(1), device=chars.device))
        for _ in range(self.n_iter):
            x = self.layer(  # expect: ML401
                x,
                memory,
                tgt_key_padding_mask=pad,
            )
        return self.classifier(x)


class HTR(nn.Module):
    def __init__(self, d=256):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 64, 3, 2, 1), nn.ReLU(), nn.Conv2d(64, d, 3, 2, 1), nn.ReLU())
        self.decoder = SharedLayerDecoder(d=d)

    def forward(self, images, chars_in):
        feats = self.cnn(images)  # (B, d, H', W')
        memory = feats.flatten(2).transpose(1, 2)
        return self.decoder(chars_in, memory)


def teacher_forcing_loss(model, images, chars):
    logits = model(images, chars[:, :-1])
    return F.cross_entropy(logits.transpose(1, 2), chars[:, 1:], ignore_index=PAD)


if __name__ == "__main__":
    m = HTR()
    chars = torch.randint(3, 80, (2, 12))
    chars[:, 0] = SOS
    chars[1, 9:] = PAD
    print(teacher_forcing_loss(m, torch.randn(2, 1, 32, 128), chars).item())
