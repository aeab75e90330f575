"""Raw-waveform encoder (wav2vec2-ish feature extractor + SDPA transformer) for clip classification."""
import torch
from torch import nn
import torch.nn.functional as F


class FeatureExtractor(nn.Module):
    """Strided 1-D convs: 16 kHz audio -> ~50 frames per second."""

    def __init__(self, dim=64):
        super().__init__()
        specs = [(1, 32, 10, 5), (32, 48, 3, 2), (48, dim, 2, 2)]
        self.convs = nn.ModuleList(nn.Conv1d(i, o, k, s) for i, o, k, s in specs)
        self.specs = specs

    def output_lengths(self, lengths):
        for _, _, k, s in self.specs:
            lengths = torch.div(lengths - k, s, rounding_mode="floor") + 1
        return lengths

    def forward(self, wav):
        x = wav.unsqueeze(1)
        for conv in self.convs:
            x = F.gelu(conv(x))
        return x.transpose(1, 2)


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(dim, 3 * dim)
        self.out_proj = nn.Linear(dim, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.dropout = dropout

    def forward(self, x, attn_bias):
        B, T, D = x.shape
        q, k, v = self.in_proj(self.ln1(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias,
                                           dropout_p=self.dropout if self.training else 0.0)
        x = x + self.out_proj(a.transpose(1, 2).reshape(B, T, D))
        return x + self.ff(self.ln2(x))


class AudioClassifier(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2, n_classes=10):
        super().__init__()
        self.features = FeatureExtractor(dim)
        self.layers = nn.ModuleList(EncoderLayer(dim, heads) for _ in range(layers))
        self.head = nn.Linear(dim, n_classes)

    def forward(self, wav, wav_lengths):
        x = self.features(wav)
        frame_lengths = self.features.output_lengths(wav_lengths)
        B, T, _ = x.shape
        attn_bias = torch.zeros(B, 1, 1, T, dtype=x.dtype, device=x.device)
        for i, n in enumerate(frame_lengths.tolist()):
            attn_bias[i, :, :, n:] = float("-inf")
        for layer in self.layers:
            x = layer(x, attn_bias)
        valid = (torch.arange(T, device=x.device)[None] < frame_lengths[:, None]).unsqueeze(-1)
        pooled = (x * valid).sum(1) / valid.sum(1)
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    clips = [torch.randn(8000), torch.randn(5200), torch.randn(6400)]
    lengths = torch.tensor([c.numel() for c in clips])
    wav = nn.utils.rnn.pad_sequence(clips, batch_first=True)
    model = AudioClassifier()
    logits = model(wav, lengths)
    F.cross_entropy(logits, torch.tensor([1, 4, 7])).backward()
    print("logits", tuple(logits.shape))
