"""Decoder whose masks are precomputed with NumPy in the data loader."""
import numpy as np
import torch
import torch.nn as nn


def make_masks(tgt_len: int, tgt_lens: np.ndarray):
    look_ahead = np.tril(np.ones((tgt_len, tgt_len), dtype=bool))
    pad = np.arange(tgt_len)[None, :] >= tgt_lens[:, None]
    return look_ahead, pad


class Decoder(nn.Module):
    def __init__(self, vocab=40, d=32, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    def forward(self, tgt, memory, np_masks):
        look_ahead, pad = np_masks
        tgt_mask = torch.from_numpy(look_ahead).to(tgt.device)
        tgt_kpm = torch.from_numpy(pad).to(tgt.device)
        h = self.dec(
            self.emb(tgt), memory,
            tgt_mask=tgt_mask,  # expect: ML101
            tgt_key_padding_mask=tgt_kpm,
        )
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = Decoder().train()
    tgt = torch.randint(0, 40, (2, 5))
    masks = make_masks(5, np.array([5, 5]))
    mem = torch.randn(2, 3, 32)
    a = dec(tgt, mem, masks)
    tgt2 = tgt.clone(); tgt2[:, -1] = (tgt2[:, -1] + 1) % 40
    print("t=0 depends on t=4:", (a[:, 0] - dec(tgt2, mem, masks)[:, 0]).abs().max().item() > 1e-5)
