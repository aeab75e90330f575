"""word_language_model/model.py (pytorch/examples, torch 1.3 era) - the
square subsequent mask helper.  In torch 1.3.0 a type-promotion change
flipped the mask produced by this idiom; the reconstruction keeps the
version-independent essence: a mask whose orientation is flipped (future
visible, past hidden)."""
import math

import torch
import torch.nn as nn


class TransformerModel(nn.Module):
    def __init__(self, ntoken=40, ninp=16, nhead=2, nhid=32, nlayers=2, dropout=0.0):
        super().__init__()
        self.src_mask = None
        self.encoder = nn.Embedding(ntoken, ninp)
        layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(ninp, ntoken)
        self.ninp = ninp

    def _generate_square_subsequent_mask(self, sz):
        mask = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
        mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))
        return mask

    def forward(self, src):
        if self.src_mask is None or self.src_mask.size(0) != len(src):
            self.src_mask = self._generate_square_subsequent_mask(len(src)).to(src.device)
        src = self.encoder(src) * math.sqrt(self.ninp)
        return self.decoder(self.transformer_encoder(src, self.src_mask))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerModel()
    data = torch.randint(0, 40, (6, 2))
    data2 = data.clone(); data2[-1] = (data2[-1] + 1) % 40
    a, b = model(data), model(data2)
    print("prefix change when last token changes:", (a[:-1] - b[:-1]).abs().max().item())
