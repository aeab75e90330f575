import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.core = nn.Transformer(d, 4, 2, 2, 128, batch_first=True)

    def forward(self, src, tgt):
        t = tgt.size(1)
        future = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        return self.core(src, tgt, None, future)

    def both(self, src, tgt):
        s, t = src.size(1), tgt.size(1)
        enc_causal = torch.triu(torch.ones(s, s, dtype=torch.bool), 1)
        dec_causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        return self.core(src, tgt, enc_causal, dec_causal)
