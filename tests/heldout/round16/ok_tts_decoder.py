"""Autoregressive mel decoder for a transformer TTS voice."""
import torch
import torch.nn as nn


class MelDecoder(nn.Module):
    def __init__(self, n_mels=40, dim=64, heads=4, layers=2):
        super().__init__()
        self.prenet = nn.Sequential(nn.Linear(n_mels, dim), nn.ReLU(), nn.Linear(dim, dim), nn.ReLU())
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.mel_out = nn.Linear(dim, n_mels)
        self.stop = nn.Linear(dim, 1)

    def forward(self, mel_in, memory, memory_pad):
        x = self.prenet(mel_in)
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(1), device=x.device, dtype=x.dtype)
        h = self.decoder(x, memory, tgt_mask=causal, tgt_is_causal=True, memory_key_padding_mask=memory_pad)
        return self.mel_out(h), self.stop(h).squeeze(-1)

    @torch.no_grad()
    def synthesize(self, memory, memory_pad, max_frames=50, gate=0.5):
        frames = torch.zeros(memory.size(0), 1, self.mel_out.out_features, device=memory.device)
        for _ in range(max_frames):
            mel, stop = self(frames, memory, memory_pad)
            frames = torch.cat([frames, mel[:, -1:]], dim=1)
            if (stop[:, -1].sigmoid() > gate).all():
                break
        return frames[:, 1:]


if __name__ == "__main__":
    dec = MelDecoder().eval()
    memory = torch.randn(2, 17, 64)
    memory_pad = torch.zeros(2, 17, dtype=torch.bool)
    memory_pad[1, 11:] = True
    print(dec.synthesize(memory, memory_pad, max_frames=8).shape)
