"""SpeechCLIP-style spoken-caption / image retrieval, speech branch.

A wav2vec2-like conv feature extractor turns raw waveforms (different lengths,
zero padded) into frames; a seq-first nn.TransformerEncoder (T, B, D) contextualises
them.  The key padding mask is always (B, T) - batch first - even though the
activations are (T, B, D); pooling uses the transposed mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvFeatureExtractor(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.convs = nn.Sequential(nn.Conv1d(1, dim, 10, 5), nn.GELU(), nn.Conv1d(dim, dim, 4, 4), nn.GELU())

    @staticmethod
    def frames_for(n_samples):
        return ((n_samples - 10) // 5 + 1 - 4) // 4 + 1

    def forward(self, wav):
        return self.convs(wav.unsqueeze(1))  # (B, D, T)


class SpeechBranch(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2, out_dim=32):
        super().__init__()
        self.fe = ConvFeatureExtractor(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0)  # seq-first
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.proj = nn.Linear(dim, out_dim)

    def forward(self, wav, wav_lens):
        feats = self.fe(wav).permute(2, 0, 1)  # (T, B, D)
        T, B, _ = feats.shape
        n_frames = ConvFeatureExtractor.frames_for(wav_lens)
        pad = torch.arange(T, device=wav.device)[None, :] >= n_frames[:, None]  # (B, T)
        h = self.enc(feats, src_key_padding_mask=pad)
        keep = (~pad).t().unsqueeze(-1).to(h.dtype)  # (T, B, 1)
        pooled = (h * keep).sum(0) / keep.sum(0)
        return F.normalize(self.proj(pooled), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SpeechBranch().eval()
    lens = torch.tensor([4000, 2600, 1500])
    wav = torch.zeros(3, 4000)
    for i, n in enumerate(lens):
        wav[i, :n] = torch.randn(n)
    with torch.no_grad():
        emb = model(wav, lens)
        solo = torch.cat([model(wav[i : i + 1, : lens[i]], lens[i : i + 1]) for i in range(3)])
    # the last conv frame of a clip may overlap the zero padding by a few samples only when
    # frames_for() rounds up; it rounds down, so frames are identical
    assert torch.allclose(emb, solo, atol=1e-5), (emb - solo).abs().max()
    assert not torch.isnan(emb).any()
    print("OK: seq-first activations with a (B, T) key padding mask")
