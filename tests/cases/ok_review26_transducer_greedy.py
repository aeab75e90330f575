"""An RNN-T speech recogniser: a bidirectional transformer encoder over audio frames (padding
mask only, by design), an LSTM prediction network, and a greedy transcription loop that picks the
argmax of the joint network and feeds the grown hypothesis back to the predictor. The attention
is over the audio, which is fully available: no causal mask is needed."""
import torch
import torch.nn as nn


class AudioBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.norm = nn.LayerNorm(d)

    def forward(self, x, pad):
        y = self.norm(x)
        x = x + self.attn(y, y, y, key_padding_mask=pad, need_weights=False)[0]
        return x + self.ff(x)


class Transducer(nn.Module):
    def __init__(self, n_mels=80, d=144, h=4, n=4, vocab=128, blank=0):
        super().__init__()
        self.blank = blank
        self.inp = nn.Linear(n_mels, d)
        self.blocks = nn.ModuleList(AudioBlock(d, h) for _ in range(n))
        self.emb = nn.Embedding(vocab, d)
        self.pred = nn.LSTM(d, d, batch_first=True)
        self.joint = nn.Sequential(nn.Tanh(), nn.Linear(d, vocab))

    def forward(self, feats, feat_lens):
        pad = torch.arange(feats.size(1), device=feats.device)[None, :] >= feat_lens[:, None]
        x = self.inp(feats)
        for blk in self.blocks:
            x = blk(x, pad)
        return x

    @torch.no_grad()
    def transcribe(self, feats, feat_lens, max_symbols=3):
        enc = self(feats, feat_lens)
        hyp = torch.full((feats.size(0), 1), self.blank, dtype=torch.long, device=feats.device)
        state = None
        for t in range(enc.size(1)):
            for _ in range(max_symbols):
                g, state = self.pred(self.emb(hyp[:, -1:]), state)
                logits = self.joint(enc[:, t] + g[:, -1])
                k = logits.argmax(-1, keepdim=True)
                if (k == self.blank).all():
                    break
                hyp = torch.cat([hyp, k], dim=1)
        return hyp[:, 1:]
