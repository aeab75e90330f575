"""LayoutLMv3-style multimodal encoder: OCR text tokens (with 2-D boxes) and
image patch tokens are concatenated into one sequence for a bidirectional
nn.TransformerEncoder.  Text follows the HF convention (attention_mask: 1 =
real token); image patches are never padded."""
import torch
import torch.nn as nn


class LayoutLMv3Lite(nn.Module):
    def __init__(self, vocab=600, dim=64, heads=4, layers=2, patch=16, img=64, labels=5):
        super().__init__()
        self.word = nn.Embedding(vocab, dim, padding_idx=0)
        self.box = nn.Linear(4, dim)
        self.pos1d = nn.Embedding(256, dim)
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        self.patch_pos = nn.Parameter(torch.randn(1, (img // patch) ** 2, dim) * 0.02)
        self.modality = nn.Embedding(2, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.token_head = nn.Linear(dim, labels)

    def forward(self, input_ids, bbox, attention_mask, pixel_values):
        B, L = input_ids.shape
        text = self.word(input_ids) + self.box(bbox) + self.pos1d(torch.arange(L)) + self.modality.weight[0]
        vis = self.patch(pixel_values).flatten(2).transpose(1, 2) + self.patch_pos + self.modality.weight[1]
        x = torch.cat([text, vis], dim=1)
        full_mask = torch.cat([attention_mask, attention_mask.new_ones(B, vis.size(1))], dim=1)
        h = self.encoder(x, src_key_padding_mask=full_mask == 0)
        return self.token_head(h[:, :L])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LayoutLMv3Lite().eval()
    ids = torch.randint(1, 600, (2, 15))
    am = torch.ones(2, 15, dtype=torch.long)
    am[1, 9:] = 0
    ids = ids * am
    bbox = torch.rand(2, 15, 4)
    img = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out = model(ids, bbox, am, img)
        ids2, bbox2 = ids.clone(), bbox.clone()
        ids2[1, 9:], bbox2[1, 9:] = 321, 0.5  # junk in padded slots
        out2 = model(ids2, bbox2, am, img)
        alone = model(ids[1:, :9], bbox[1:, :9], am[1:, :9], img[1:])
    assert not torch.isnan(out).any()
    assert torch.allclose(out[1, :9], out2[1, :9], atol=1e-5)
    assert torch.allclose(out[1, :9], alone[0], atol=1e-5)
    print("OK: text-token predictions are invariant to padding; no NaN")
