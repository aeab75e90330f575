"""Drum-pattern continuation (word_language_model-style model with a has_mask switch)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_HITS = 64


class PatternModel(nn.Module):
    def __init__(self, ntoken=N_HITS, ninp=32, nhead=4, nhid=64, nlayers=2):
        super().__init__()
        self.src_mask = None
        self.embed = nn.Embedding(ntoken, ninp)
        self.pos = nn.Parameter(torch.zeros(128, 1, ninp))
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(ninp, nhead, nhid, 0.0), nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(ninp, ntoken)
        self.ninp = ninp

    def forward(self, src, has_mask=True):
        if has_mask:
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                self.src_mask = nn.Transformer.generate_square_subsequent_mask(len(src)).to(src.device)
        else:
            self.src_mask = None
        x = self.embed(src) * math.sqrt(self.ninp) + self.pos[: len(src)]
        return F.log_softmax(self.decoder(self.encoder(x, self.src_mask)), dim=-1)


@torch.no_grad()
def continue_pattern(model, primer, steps):
    seq = primer
    for _ in range(steps):
        logp = model(seq, has_mask=True)
        seq = torch.cat([seq, logp[-1:].argmax(-1)], dim=0)
    return seq[len(primer):]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PatternModel()
    groove = torch.tensor([1, 9, 5, 9, 1, 9, 5, 13, 1, 9, 5, 9]).view(-1, 1)
    loss = F.nll_loss(model(groove[:-1]).view(-1, N_HITS), groove[1:].view(-1))
    model.eval()
    print("loss", round(loss.item(), 5), "next", continue_pattern(model, groove[:8], 4).flatten().tolist())
