"""Captioning decoder: masks are stashed on the module by `prepare()` and read in `forward()`."""
import torch
import torch.nn as nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, 4 * d, 0.0, batch_first=True), 2
        )
        self.out = nn.Linear(d, vocab)

    def prepare(self, captions, region_valid):
        T = captions.size(1)
        self._causal = nn.Transformer.generate_square_subsequent_mask(T, device=captions.device, dtype=torch.bool)
        self._tgt_pad = captions == self.pad_id
        self._mem_pad = ~region_valid  # region_valid: True = real region

    def forward(self, captions, regions):
        h = self.decoder(
            self.emb(captions), regions,
            tgt_mask=self._causal,
            tgt_key_padding_mask=self._tgt_pad,
            memory_key_padding_mask=self._tgt_pad,  # expect: ML503
        )
        return self.out(h)


if __name__ == "__main__":
    dec = CaptionDecoder()
    caps = torch.tensor([[3, 4, 5, 0], [6, 7, 8, 9]])
    regions = torch.randn(2, 4, 32)
    valid = torch.tensor([[True, True, False, False], [True] * 4])
    dec.prepare(caps, valid)
    print(dec(caps, regions).shape, "(ran silently with the caption padding on the regions)")
