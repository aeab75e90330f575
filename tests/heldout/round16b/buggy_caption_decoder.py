import torch
import torch.nn as nn
import torch.nn.functional as F


class RegionEncoder(nn.Module):
    def __init__(self, feat_dim=128, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.proj = nn.Linear(feat_dim, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, regions, region_mask):
        return self.encoder(self.proj(regions), src_key_padding_mask=~region_mask)


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=500, d_model=64, nhead=4, layers=2, max_len=40, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory):
        t = tokens.size(1)
        x = self.embed(tokens) + self.pos(torch.arange(t, device=tokens.device))
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tokens.device), 1)
        h = self.decoder(x, memory, tgt_mask=causal, tgt_key_padding_mask=tokens.eq(self.pad_id))  # expect: ML502
        return self.out(h)


class Captioner(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = RegionEncoder()
        self.decoder = CaptionDecoder()

    def forward(self, regions, region_mask, captions):
        memory = self.encoder(regions, region_mask)
        logits = self.decoder(captions[:, :-1], memory)
        return F.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=0)


if __name__ == "__main__":
    regions = torch.randn(2, 10, 128)
    region_mask = torch.tensor([[True] * 10, [True] * 6 + [False] * 4])
    caps = torch.randint(1, 500, (2, 12))
    print(Captioner()(regions, region_mask, caps).item())
