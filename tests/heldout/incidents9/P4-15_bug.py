import math

import torch
import torch.nn as nn


class TransformerModel(nn.Module):
    """Container module with an encoder, a transformer encoder stack and a decoder."""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.0):
        super().__init__()
        self.model_type = "Transformer"
        self.src_mask = None
        encoder_layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)

    def _generate_square_subsequent_mask(self, sz):
        mask = torch.triu(torch.ones(sz, sz)) == 1  # BUG
        mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))  # BUG
        return mask

    def forward(self, src, has_mask=True):
        if has_mask:
            device = src.device
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                self.src_mask = self._generate_square_subsequent_mask(len(src)).to(device)
        else:
            self.src_mask = None
        src = self.encoder(src) * math.sqrt(self.ninp)
        output = self.transformer_encoder(src, self.src_mask)
        return torch.log_softmax(self.decoder(output), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerModel(ntoken=30, ninp=16, nhead=2, nhid=32, nlayers=2).eval()
    print(model._generate_square_subsequent_mask(4))
    src = torch.randint(0, 30, (6, 2))  # (seq_len, batch)
    with torch.no_grad():
        out = model(src)
        src2 = src.clone()
        src2[-1] = (src2[-1] + 1) % 30
        out2 = model(src2)
    print("first position sees the last token:", (out2 - out)[0].abs().max().item())
