"""Cicada song classifier for an acoustic citizen-science app. Log-mel frames are downsampled by a
conv stem (stride 2 twice); the key padding mask is built from the downsampled lengths."""
import torch
import torch.nn as nn

SPECIES = ["magicicada_septendecim", "magicicada_cassini", "neotibicen_linnei", "neotibicen_canicularis", "megatibicen_auletes"]


def conv_out_len(n, kernel, stride, padding):
    return (n + 2 * padding - kernel) // stride + 1


class CicadaNet(nn.Module):
    def __init__(self, n_mels=64, d=64, heads=4, layers=2):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv1d(n_mels, d, kernel_size=3, stride=2, padding=1), nn.ReLU(),
            nn.Conv1d(d, d, kernel_size=3, stride=2, padding=1), nn.ReLU(),
        )
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True), layers, enable_nested_tensor=False)
        self.head = nn.Linear(d, len(SPECIES))

    def frame_lengths(self, mel_lengths):
        n = mel_lengths
        for conv in (self.stem[0], self.stem[2]):
            n = conv_out_len(n, conv.kernel_size[0], conv.stride[0], conv.padding[0])
        return n

    def forward(self, mel, mel_lengths):
        # mel: (B, n_mels, T) zero-padded after mel_lengths
        x = self.stem(mel).transpose(1, 2)
        lengths = self.frame_lengths(mel_lengths)
        pad = torch.arange(x.size(1), device=x.device)[None, :] >= lengths[:, None]
        x = self.encoder(x, src_key_padding_mask=pad)
        x = x.masked_fill(pad.unsqueeze(-1), 0.0)
        return self.head(x.sum(1) / lengths.unsqueeze(-1))


if __name__ == "__main__":
    lengths = torch.tensor([200, 130, 61])
    mel = torch.zeros(3, 64, 200)
    for i, n in enumerate(lengths.tolist()):
        mel[i, :, :n] = torch.randn(64, n)
    print(CicadaNet()(mel, lengths).softmax(-1))
