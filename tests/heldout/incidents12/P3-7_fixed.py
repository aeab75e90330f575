import math

import torch
import torch.nn as nn


class TransformerTagger(nn.Module):
    def __init__(self, ntoken, ntags, ninp=16, nhead=2, nhid=32, nlayers=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.ninp = ninp
        self.encoder = nn.Embedding(ntoken, ninp, padding_idx=pad_idx)
        encoder_layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout=0.0)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(ninp, ntags)

    def forward(self, src):
        src_key_padding_mask = src.eq(self.pad_idx).transpose(0, 1)
        x = self.encoder(src) * math.sqrt(self.ninp)
        output = self.transformer_encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.decoder(output)


def batchify(sentences, pad_idx=0):
    max_len = max(len(s) for s in sentences)
    cols = [torch.tensor(s + [pad_idx] * (max_len - len(s))) for s in sentences]
    return torch.stack(cols, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerTagger(ntoken=30, ntags=5).train()
    src = batchify([[4, 8, 15, 16, 23, 2], [7, 9, 3], [11, 12, 13, 14]])
    try:
        out = model(src)
        with torch.no_grad():
            model.encoder.weight[0].fill_(1.0)
        out2 = model(src)
        d = (out - out2)[src != 0].abs().max().item()
        print(f"ok: tag logits change when the pad embedding changes = {d:.4f}")
    except (AssertionError, RuntimeError) as e:
        print(f"{type(e).__name__}: {e}")
