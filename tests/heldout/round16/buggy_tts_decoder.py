"""Transformer-TTS style mel decoder (autoregressive over mel frames)."""
import torch
import torch.nn as nn


class Prenet(nn.Sequential):
    def __init__(self, n_mels, dim):
        super().__init__(nn.Linear(n_mels, dim), nn.ReLU(), nn.Linear(dim, dim), nn.ReLU())


class MelDecoder(nn.Module):
    def __init__(self, n_mels=40, dim=64, heads=4, layers=2):
        super().__init__()
        self.prenet = Prenet(n_mels, dim)
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.mel_out = nn.Linear(dim, n_mels)
        self.stop = nn.Linear(dim, 1)

    @staticmethod
    def causal_mask(n, device):
        return torch.triu(torch.full((n, n), float("-inf"), device=device), diagonal=1)

    def forward(self, mel_in, memory, memory_pad):
        x = self.prenet(mel_in)
        if self.training:
            causal = self.causal_mask(x.size(1), x.device)
            h = self.decoder(x, memory, tgt_mask=causal, memory_key_padding_mask=memory_pad)
        else:
            h = self.decoder(x, memory, tgt_is_causal=True, memory_key_padding_mask=memory_pad)  # expect: ML402
        return self.mel_out(h), self.stop(h).squeeze(-1)


@torch.no_grad()
def validation_loss(decoder, mel, memory, memory_pad):
    decoder.eval()
    go = torch.zeros_like(mel[:, :1])
    mel_in = torch.cat([go, mel[:, :-1]], dim=1)
    pred, _ = decoder(mel_in, memory, memory_pad)
    return nn.functional.l1_loss(pred, mel).item()
