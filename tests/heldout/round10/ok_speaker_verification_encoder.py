"""Speaker-verification embedding extractor: conv subsampling + transformer encoder + attentive statistics pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def lengths_to_padding_mask(lengths, max_len):
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]  # True = padding frame


class Subsample(nn.Module):
    def __init__(self, n_mels, d):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv1d(n_mels, d, 3, 2, 1), nn.Conv1d(d, d, 3, 2, 1)])

    def forward(self, feats, lengths):
        x = feats.transpose(1, 2)
        for conv in self.convs:
            x = F.gelu(conv(x))
            lengths = (lengths - 1) // 2 + 1
            x = x * ~lengths_to_padding_mask(lengths, x.size(-1))[:, None, :]
        return x.transpose(1, 2), lengths


class AttentiveStatsPool(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.score = nn.Sequential(nn.Linear(d, d // 2), nn.Tanh(), nn.Linear(d // 2, 1))

    def forward(self, x, pad):
        w = self.score(x).squeeze(-1).masked_fill(pad, float("-inf")).softmax(-1).unsqueeze(-1)
        mu = (w * x).sum(1)
        sigma = ((w * x * x).sum(1) - mu * mu).clamp(min=1e-5).sqrt()
        return torch.cat([mu, sigma], dim=-1)


class SpeakerEncoder(nn.Module):
    def __init__(self, n_mels=40, d=64, heads=4, layers=2, emb_dim=32):
        super().__init__()
        self.sub = Subsample(n_mels, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, batch_first=True), layers)
        self.pool = AttentiveStatsPool(d)
        self.emb = nn.Linear(2 * d, emb_dim)

    def forward(self, feats, lengths):
        x, lengths = self.sub(feats, lengths)
        pad = lengths_to_padding_mask(lengths, x.size(1))
        x = self.enc(x, src_key_padding_mask=pad)
        x = x.masked_fill(pad.unsqueeze(-1), 0.0)
        return F.normalize(self.emb(self.pool(x, pad)), dim=-1)


class AAMSoftmax(nn.Module):
    def __init__(self, emb_dim, n_speakers, m=0.2, s=30.0):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_speakers, emb_dim))
        self.m, self.s = m, s

    def forward(self, emb, labels):
        cos = emb @ F.normalize(self.w, dim=-1).t()
        theta = torch.acos(cos.clamp(-1 + 1e-6, 1 - 1e-6))
        target = torch.cos(theta + self.m)
        logits = torch.where(F.one_hot(labels, cos.size(1)).bool(), target, cos) * self.s
        return F.cross_entropy(logits, labels)


if __name__ == "__main__":
    torch.manual_seed(0)
    lengths = torch.tensor([200, 131, 77])
    feats = torch.randn(3, 200, 40) * (torch.arange(200)[None, :, None] < lengths[:, None, None])
    model, head = SpeakerEncoder(), AAMSoftmax(32, 10)
    loss = head(model(feats, lengths), torch.tensor([1, 4, 4]))
    loss.backward()
    model.eval()
    with torch.no_grad():
        a = model(feats[2:3, :77], lengths[2:3])
        b = model(feats, lengths)[2:3]
    print(loss.item(), torch.allclose(a, b, atol=1e-5))
