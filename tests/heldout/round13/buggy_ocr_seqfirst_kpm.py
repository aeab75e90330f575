"""Scene-text recogniser: CNN features -> Transformer decoder over characters.

Kept in the (time, batch) layout of the original LSTM recogniser it replaced.
"""
import string

import torch
import torch.nn as nn

CHARS = string.digits + string.ascii_lowercase
PAD, SOS, EOS = 0, 1, 2
VOCAB = len(CHARS) + 3


class Backbone(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 64, 3, 2, 1), nn.ReLU(), nn.Conv2d(64, d, 3, 2, 1), nn.ReLU())

    def forward(self, img):  # (N, 3, 32, 128) -> (W*H, N, d)
        f = self.cnn(img)
        return f.flatten(2).permute(2, 0, 1)


class TextRecognizer(nn.Module):
    def __init__(self, d=128, nhead=4, layers=2):
        super().__init__()
        self.backbone = Backbone(d)
        self.embed = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(64, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 4 * d, 0.1), layers)
        self.cls = nn.Linear(d, VOCAB)

    def forward(self, img, text_in):  # text_in: (T, N)
        memory = self.backbone(img)
        T = text_in.size(0)
        tgt = self.embed(text_in) + self.pos.weight[:T, None]
        causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.bool)
        out = self.decoder(tgt, memory, tgt_mask=causal,
                           tgt_key_padding_mask=text_in == PAD)  # expect: ML304
        return self.cls(out)


def encode_labels(words):
    T = max(len(w) for w in words) + 2
    out = torch.full((T, len(words)), PAD, dtype=torch.long)
    for j, w in enumerate(words):
        ids = [SOS] + [CHARS.index(c) + 3 for c in w] + [EOS]
        out[: len(ids), j] = torch.tensor(ids)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    words = ["exit", "pharmacy", "42", "parking"]
    labels = encode_labels(words)
    imgs = torch.randn(len(words), 3, 32, 128)
    model = TextRecognizer()
    try:
        logits = model(imgs, labels[:-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), labels[1:].reshape(-1), ignore_index=PAD)
        print("ce", round(loss.item(), 4))
    except (AssertionError, RuntimeError) as err:
        print("batch skipped:", err)
