# EXPECT: bug a very short utterance has 0 frames after 4x conv subsampling, so its src_key_padding_mask row is all True (fully padded sample, only in the second eval batch); its encoder output silently degenerates to bias-only rows
"""ESPnet/SpeechBrain-style keyword-spotting model: Conv2d subsampling (x4),
seq-first nn.TransformerEncoder, masked mean pooling, classifier.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2dSubsampling(nn.Module):
    """Subsample the time axis by 4 with two stride-2 convolutions."""

    def __init__(self, idim, odim, dropout):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 4, 3, 2), nn.ReLU(), nn.Conv2d(4, 4, 3, 2), nn.ReLU())
        self.out = nn.Linear(4 * (((idim - 1) // 2 - 1) // 2), odim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, lengths):
        x = self.conv(x.unsqueeze(1))  # (B, C, T', F')
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        for _ in range(2):
            lengths = torch.div(lengths - 3, 2, rounding_mode="floor") + 1
        return self.dropout(x), lengths


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=128):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(max_len).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d_model, 2).float() * -(math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):  # (T, B, D)
        return x * math.sqrt(x.size(-1)) + self.pe[: x.size(0)].unsqueeze(1)


class KWSTransformer(nn.Module):
    def __init__(self, n_mels=20, d_model=32, nhead=4, num_layers=2, num_classes=8, dropout=0.1):
        super().__init__()
        self.subsample = Conv2dSubsampling(n_mels, d_model, dropout)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False)
        self.classifier = nn.Linear(d_model, num_classes)

    def forward(self, feats, feat_lengths):
        x, lengths = self.subsample(feats, feat_lengths)
        T = x.size(1)
        pad_mask = torch.arange(T)[None, :] >= lengths[:, None]  # (B, T'), True = padding
        x = self.pos(x.transpose(0, 1))
        x = self.encoder(x, src_key_padding_mask=pad_mask)  # BUG-SITE
        keep = (~pad_mask).t().unsqueeze(-1).float()
        pooled = (x * keep).sum(0) / keep.sum(0).clamp(min=1.0)
        return self.classifier(pooled)


def make_batch(lengths, n_mels=20):
    T = max(lengths)
    feats = torch.zeros(len(lengths), T, n_mels)
    for i, n in enumerate(lengths):
        feats[i, :n] = torch.randn(n, n_mels)
    return feats, torch.tensor(lengths)


def run():
    torch.manual_seed(0)
    model = KWSTransformer()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats, lengths = make_batch([40, 33, 28, 37])
    labels = torch.tensor([1, 4, 7, 0])

    model.train()
    logits = model(feats, lengths)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    outputs = []
    with torch.no_grad():
        for eval_lengths in ([36, 30, 25], [32, 3, 29]):  # second batch holds a 3-frame clip
            f, l = make_batch(eval_lengths)
            outputs.append(model(f, l).softmax(-1))
    return [loss.detach(), *grads, *outputs]
