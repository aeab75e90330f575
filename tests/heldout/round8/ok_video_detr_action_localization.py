"""DETR-style temporal action localisation (ActionFormer/TadTR flavour): a set
of learned action queries decodes (start, end, class) triples from a video
feature memory.  Queries are NOT autoregressive, so the decoder self-attention
has no causal mask; the memory (snippet features) is padded per video and is
masked through memory_key_padding_mask."""
import torch
import torch.nn as nn


class ActionDETR(nn.Module):
    def __init__(self, feat_dim=256, dim=64, heads=4, num_queries=10, classes=20):
        super().__init__()
        self.inp = nn.Linear(feat_dim, dim)
        self.pos = nn.Embedding(512, dim)
        enc = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        dec = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, 2, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, 2)
        self.queries = nn.Embedding(num_queries, dim)
        self.cls_head = nn.Linear(dim, classes + 1)
        self.seg_head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 2))

    def forward(self, snippets, snippet_pad):
        B, T, _ = snippets.shape
        mem = self.inp(snippets) + self.pos(torch.arange(T))
        mem = self.encoder(mem, src_key_padding_mask=snippet_pad)
        q = self.queries.weight.unsqueeze(0).expand(B, -1, -1)
        hs = self.decoder(q, mem, memory_key_padding_mask=snippet_pad)
        return self.cls_head(hs), self.seg_head(hs).sigmoid()  # (center, width) in [0, 1]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ActionDETR().eval()
    feats = torch.randn(2, 40, 256)
    pad = torch.zeros(2, 40, dtype=torch.bool)
    pad[1, 25:] = True
    with torch.no_grad():
        logits, segs = model(feats, pad)
        feats2 = feats.clone()
        feats2[1, 25:] = torch.randn(15, 256) * 10
        logits2, segs2 = model(feats2, pad)
        solo_logits, solo_segs = model(feats[1:, :25], pad[1:, :25])
    assert torch.allclose(logits[1], logits2[1], atol=1e-4) and torch.allclose(segs[1], segs2[1], atol=1e-5)
    assert torch.allclose(logits[1], solo_logits[0], atol=1e-4)
    assert not torch.isnan(logits).any()
    print("OK: set-prediction decoder needs no causal mask; padded snippets are ignored")
