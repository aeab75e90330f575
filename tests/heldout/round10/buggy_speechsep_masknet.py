"""Two-speaker separation: conv encoder, transformer mask network, conv decoder (Conv-TasNet/SepFormer mix)."""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, n_filters=64, kernel=16):
        super().__init__()
        self.conv = nn.Conv1d(1, n_filters, kernel, stride=kernel // 2, bias=False)

    def forward(self, wav):
        return torch.relu(self.conv(wav.unsqueeze(1)))  # (B, F, T)


class MaskNet(nn.Module):
    def __init__(self, n_filters=64, d=64, heads=4, layers=2, n_src=2):
        super().__init__()
        self.n_src = n_src
        self.bottleneck = nn.Conv1d(n_filters, d, 1)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.transformer = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.to_masks = nn.Conv1d(d, n_src * n_filters, 1)

    def forward(self, mix_rep, frame_pad):
        x = self.bottleneck(mix_rep).transpose(1, 2)  # (B, T, d)
        x = self.transformer(x, src_key_padding_mask=frame_pad)  # expect: ML201
        m = self.to_masks(x.transpose(1, 2))
        B, _, T = m.shape
        return torch.sigmoid(m.view(B, self.n_src, -1, T))


class Separator(nn.Module):
    def __init__(self, n_filters=64, kernel=16, n_src=2):
        super().__init__()
        self.kernel = kernel
        self.encoder = Encoder(n_filters, kernel)
        self.masknet = MaskNet(n_filters, n_src=n_src)
        self.decoder = nn.ConvTranspose1d(n_filters, 1, kernel, stride=kernel // 2, bias=False)

    def frame_lengths(self, wav_lens):
        return (wav_lens - self.kernel) // (self.kernel // 2) + 1

    def forward(self, mix, wav_lens):
        rep = self.encoder(mix)
        n_frames = self.frame_lengths(wav_lens)
        frame_idx = torch.arange(rep.size(-1), device=mix.device)
        frame_pad = (frame_idx[None, :] >= n_frames[:, None]).float()
        masks = self.masknet(rep, frame_pad)
        est = rep.unsqueeze(1) * masks
        B, S, F_, T = est.shape
        wavs = self.decoder(est.view(B * S, F_, T)).view(B, S, -1)
        return wavs[..., : mix.size(-1)]


def si_snr(est, ref, eps=1e-8):
    ref = ref - ref.mean(-1, keepdim=True)
    est = est - est.mean(-1, keepdim=True)
    proj = (est * ref).sum(-1, keepdim=True) * ref / (ref.pow(2).sum(-1, keepdim=True) + eps)
    noise = est - proj
    return 10 * torch.log10(proj.pow(2).sum(-1) / (noise.pow(2).sum(-1) + eps) + eps)


if __name__ == "__main__":
    torch.manual_seed(0)
    lens = torch.tensor([4000, 2600, 3200])
    srcs = torch.randn(3, 2, 4000)
    for i, n in enumerate(lens):
        srcs[i, :, n:] = 0
    mix = srcs.sum(1)
    model = Separator()
    est = model(mix, lens)
    print(est.shape, -si_snr(est, srcs).mean().item())
