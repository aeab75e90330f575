"""Attention encoder-decoder ASR (filterbank frames -> characters), batch-first nn.Transformer."""
import torch
from torch import nn
from torch.nn import functional as F

VOCAB = ["<pad>", "<sos>", "<eos>", " "] + list("abcdefghijklmnopqrstuvwxyz'")
PAD, SOS, EOS = 0, 1, 2


class Subsample(nn.Module):
    """Two stride-2 convolutions: T frames -> ceil(T/4) encoder steps."""

    def __init__(self, n_mels, d_model):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(n_mels, d_model, 3, 2, 1), nn.GELU(), nn.Conv1d(d_model, d_model, 3, 2, 1))

    def forward(self, feats, feat_lens):
        x = self.conv(feats.transpose(1, 2)).transpose(1, 2)
        lens = ((feat_lens + 1) // 2 + 1) // 2
        return x, lens


class Speech2Text(nn.Module):
    def __init__(self, n_mels=40, d_model=64, nhead=4, enc_layers=2, dec_layers=2):
        super().__init__()
        self.sub = Subsample(n_mels, d_model)
        self.tgt_embed = nn.Embedding(len(VOCAB), d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(1, 512, d_model) * 0.02)
        self.transformer = nn.Transformer(
            d_model, nhead, enc_layers, dec_layers, dim_feedforward=4 * d_model, dropout=0.1, batch_first=True
        )
        self.out = nn.Linear(d_model, len(VOCAB))

    def forward(self, feats, feat_lens, tgt_in):
        src, src_lens = self.sub(feats, feat_lens)
        src = src + self.pos[:, : src.size(1)]
        tgt = self.tgt_embed(tgt_in) + self.pos[:, : tgt_in.size(1)]
        src_pad = torch.arange(src.size(1), device=src.device)[None] >= src_lens[:, None]
        tgt_pad = tgt_in == PAD
        causal = self.transformer.generate_square_subsequent_mask(tgt_in.size(1), device=tgt_in.device, dtype=torch.bool)
        h = self.transformer(src, tgt, tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad)  # expect: ML502
        return self.out(h)


def make_targets(texts):
    rows = [[SOS] + [VOCAB.index(c) for c in t] + [EOS] for t in texts]
    L = max(map(len, rows))
    ids = torch.tensor([r + [PAD] * (L - len(r)) for r in rows])
    return ids[:, :-1], ids[:, 1:]


if __name__ == "__main__":
    torch.manual_seed(0)
    feat_lens = torch.tensor([37, 80, 52])
    feats = torch.randn(3, 80, 40) * (torch.arange(80)[None, :, None] < feat_lens[:, None, None])
    tgt_in, tgt_out = make_targets(["hi there", "good morning", "ok"])
    model = Speech2Text()
    logits = model(feats, feat_lens, tgt_in)
    print("ce", F.cross_entropy(logits.transpose(1, 2), tgt_out, ignore_index=PAD).item())
