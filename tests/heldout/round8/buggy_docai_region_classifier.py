"""Layout-region classifier for document AI.

Regions proposed by a layout detector (title / table / figure / paragraph ...)
are turned into queries (box embedding + ROI feature) that cross-attend to the
OCR token sequence of the page.  Token batches come straight from a tokenizer
dict (``attention_mask`` is an int64 tensor with 1 = real token).
"""
import torch
import torch.nn as nn


class BoxEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(4, dim), nn.GELU(), nn.Linear(dim, dim))

    def forward(self, boxes):  # normalised [x0, y0, x1, y1]
        return self.mlp(boxes)


class RegionTokenCrossAttention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, regions, tokens, token_pad):
        out, _ = self.attn(regions, tokens, tokens, key_padding_mask=token_pad, need_weights=False)
        regions = self.norm(regions + out)
        return regions + self.ffn(regions)


class RegionClassifier(nn.Module):
    def __init__(self, vocab=400, dim=64, num_classes=5):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.box = BoxEmbedding(dim)
        self.roi = nn.Linear(32, dim)
        self.block = RegionTokenCrossAttention(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, encoding, region_boxes, roi_feats):
        tokens = self.tok(encoding["input_ids"])
        regions = self.box(region_boxes) + self.roi(roi_feats)
        regions = self.block(
            regions,
            tokens,
            1 - encoding["attention_mask"],  # expect: ML203
        )
        return self.head(regions)


def fake_tokenizer_batch(lengths, vocab=400):
    L = max(lengths)
    ids = torch.zeros(len(lengths), L, dtype=torch.long)
    am = torch.zeros(len(lengths), L, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab, (n,))
        am[i, :n] = 1
    return {"input_ids": ids, "attention_mask": am}


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RegionClassifier().eval()
    enc = fake_tokenizer_batch([20, 13])
    boxes = torch.rand(2, 3, 4)
    roi = torch.randn(2, 3, 32)
    try:
        with torch.no_grad():
            out = model(enc, boxes, roi)
        print("ran, output", tuple(out.shape))
    except (AssertionError, RuntimeError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
