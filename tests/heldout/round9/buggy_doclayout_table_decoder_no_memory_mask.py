"""Table-structure recognition (document layout): an image encoder over page patches and
an HTML-tag decoder. Pages are padded to the largest patch count in the batch."""
import torch
import torch.nn as nn


class TableStructureModel(nn.Module):
    def __init__(self, n_tags=30, d=32, heads=4):
        super().__init__()
        self.patch = nn.Linear(48, d)
        self.tag = nn.Embedding(n_tags, d)
        enc_layer = nn.TransformerEncoderLayer(d, heads, 64, dropout=0.0, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d, heads, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(enc_layer, 1, enable_nested_tensor=False)
        self.dec = nn.TransformerDecoder(dec_layer, 1)
        self.out = nn.Linear(d, n_tags)

    def forward(self, patches, patch_pad, tags, tag_pad):
        memory = self.enc(self.patch(patches), src_key_padding_mask=patch_pad)
        T = tags.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        h = self.dec(  # expect: ML502
            self.tag(tags),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=tag_pad,
        )
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = TableStructureModel().eval()
    patches = torch.randn(2, 10, 48)
    patch_pad = torch.zeros(2, 10, dtype=torch.bool)
    patch_pad[1, 6:] = True
    tags = torch.randint(1, 30, (2, 5))
    tag_pad = torch.zeros(2, 5, dtype=torch.bool)
    with torch.no_grad():
        a = m(patches, patch_pad, tags, tag_pad)
        p2 = patches.clone()
        p2[1, 6:] = 10.0
        b = m(p2, patch_pad, tags, tag_pad)
    print("FAILURE SHOWN: decoder output of page 1 depends on its padding patches, diff",
          f"{(a[1] - b[1]).abs().max().item():.3g}")
