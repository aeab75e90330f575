"""Melody continuation over MIDI pitch tokens (word_language_model-style)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_PITCH = 130


class SequenceTransformer(nn.Module):
    def __init__(self, ntoken=N_PITCH, ninp=32, nhead=4, nhid=64, nlayers=2, dropout=0.0):
        super().__init__()
        self.src_mask = None
        self.encoder = nn.Embedding(ntoken, ninp)
        self.pos = nn.Embedding(256, ninp)
        layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(layers, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(ninp, ntoken)
        self.ninp = ninp

    def forward(self, src, has_mask=True):
        if has_mask:
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                self.src_mask = nn.Transformer.generate_square_subsequent_mask(len(src)).to(src.device)
        else:
            self.src_mask = None
        x = self.encoder(src) * math.sqrt(self.ninp) + self.pos(torch.arange(len(src), device=src.device))[:, None]
        output = self.transformer_encoder(x, self.src_mask)
        return F.log_softmax(self.decoder(output), dim=-1)


@torch.no_grad()
def continue_melody(model, primer, n_notes, temperature=1.0, generator=None):
    seq = primer.clone()
    score = 0.0
    for _ in range(n_notes):
        logp = model(seq, has_mask=False)  # BUG: continuation runs the model without its causal mask; it was trained with has_mask=True
        probs = (logp[-1] / temperature).softmax(-1)
        nxt = torch.multinomial(probs, 1, generator=generator).view(1, -1)
        score += logp[-1, 0, nxt.item()].item()
        seq = torch.cat([seq, nxt], dim=0)
    return seq[len(primer):], score


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SequenceTransformer()
    tune = torch.tensor([60, 62, 64, 65, 67, 65, 64, 62, 60, 67, 72, 71]).view(-1, 1)
    loss = F.nll_loss(model(tune[:-1]).view(-1, N_PITCH), tune[1:].view(-1))
    model.eval()
    notes, score = continue_melody(model, tune[:6], 4, generator=torch.Generator().manual_seed(0))
    print("loss", round(loss.item(), 5), "notes", notes.flatten().tolist(), "logp", round(score, 4))
