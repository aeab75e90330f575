"""Speech-to-text encoder kept time-major end to end (T, B, C), as in older
fairseq-style S2T recipes: conv1d subsampler, then self-attention layers."""
import torch
import torch.nn as nn


def time_major_padding(lengths, max_len):
    """(T, B) bool, True where frame t of utterance b is padding."""
    steps = torch.arange(max_len, device=lengths.device)
    return steps[:, None] >= lengths[None, :]


class Conv1dSubsampler(nn.Module):
    def __init__(self, in_ch, mid_ch, out_ch, kernel_sizes=(5, 5)):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Conv1d(in_ch if i == 0 else mid_ch // 2, mid_ch if i < len(kernel_sizes) - 1 else out_ch * 2,
                      k, stride=2, padding=k // 2)
            for i, k in enumerate(kernel_sizes))

    def out_lengths(self, lens):
        for _ in self.layers:
            lens = ((lens.float() - 1) / 2 + 1).floor().long()
        return lens

    def forward(self, src_tokens, src_lengths):
        x = src_tokens.transpose(1, 2)  # B x C x T
        for conv in self.layers:
            x = nn.functional.glu(conv(x), dim=1)
        x = x.permute(2, 0, 1).contiguous()  # T x B x C
        return x, self.out_lengths(src_lengths)


class S2TLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads)  # time-major
        self.ln1 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self.ln2 = nn.LayerNorm(dim)

    def forward(self, x, padding):
        r = x
        x = self.ln1(x)
        x, _ = self.attn(
            x, x, x,
            key_padding_mask=padding,
            need_weights=False,
        )
        x = r + x
        return x + self.ff(self.ln2(x))


class S2TEncoder(nn.Module):
    def __init__(self, n_mels=24, dim=32, heads=4, layers=2):
        super().__init__()
        self.subsample = Conv1dSubsampler(n_mels, 64, dim)
        self.layers = nn.ModuleList([S2TLayer(dim, heads) for _ in range(layers)])

    def forward(self, src_tokens, src_lengths):
        x, lens = self.subsample(src_tokens, src_lengths)
        for layer in self.layers:
            x = x.masked_fill(time_major_padding(lens, x.size(0)).unsqueeze(-1), 0.0)
            x = layer(
                x,
                time_major_padding(lens, x.size(0)),  # expect: ML304
            )
        return x, lens


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = S2TEncoder()
    feats = torch.randn(3, 40, 24)
    lens = torch.tensor([40, 33, 20])
    try:
        out, olens = enc(feats, lens)
        print("ran, shapes", out.shape)
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, e)
