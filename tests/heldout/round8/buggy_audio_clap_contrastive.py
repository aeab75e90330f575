"""CLAP-style audio-text contrastive model.

Audio branch: log-mel frames -> linear -> seq-first nn.TransformerEncoder ->
masked mean.  Clips shorter than the batch maximum are zero padded, and the
padding is detected from all-zero frames.  Text branch: bag of embeddings."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AudioBranch(nn.Module):
    def __init__(self, n_mels=32, dim=64, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(n_mels, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0)  # (T, B, D)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, fbank):  # fbank: (B, T, n_mels)
        feats = fbank.transpose(0, 1)  # (T, B, n_mels)
        pad = feats.abs().sum(-1).eq(0)
        h = self.enc(
            self.inp(feats),
            src_key_padding_mask=pad,  # expect: ML304
        )
        keep = (~pad).unsqueeze(-1).float()
        return (h * keep).sum(0) / keep.sum(0).clamp(min=1)


class TextBranch(nn.Module):
    def __init__(self, vocab=1000, dim=64):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab, dim, mode="mean", padding_idx=0)

    def forward(self, ids):
        return self.emb(ids)


class CLAP(nn.Module):
    def __init__(self):
        super().__init__()
        self.audio, self.text = AudioBranch(), TextBranch()
        self.a_proj, self.t_proj = nn.Linear(64, 32), nn.Linear(64, 32)
        self.logit_scale = nn.Parameter(torch.tensor(2.659))

    def forward(self, fbank, ids):
        a = F.normalize(self.a_proj(self.audio(fbank)), dim=-1)
        t = F.normalize(self.t_proj(self.text(ids)), dim=-1)
        logits = self.logit_scale.exp() * a @ t.t()
        target = torch.arange(a.size(0))
        return (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CLAP()
    fbank = torch.randn(4, 50, 32)
    fbank[1, 30:] = 0
    fbank[3, 12:] = 0
    ids = torch.randint(1, 1000, (4, 9))
    try:
        print("loss", model(fbank, ids).item())
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
