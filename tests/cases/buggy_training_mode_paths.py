"""A decoder whose training path forgets the causal mask while its inference path decodes one
position at a time (where none is needed): the bug shows only in training, with teacher forcing.
Reported at the layer's attention call, which runs unmasked, and where the model calls its
decoder; the loop that drops the mask is in the evidence.  Knowing the mode must not hide it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class StepLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory=None, tgt_mask=None, **kwargs):
        if self.training:
            return super().forward(tgt, memory, tgt_mask=tgt_mask)  # expect: ML401
        last = tgt[-1:]
        y = self.self_attn(last, tgt, tgt, need_weights=False)[0]
        return self.norm1(last + y)


class StepDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory=None):
        out = tgt
        if self.training:
            for layer in self.layers:
                out = layer(out, memory)
            return out
        for layer in self.layers:
            out = layer(out, memory)
        return out


class Captioner(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.decoder = StepDecoder(StepLayer(d, heads, 64), 2)
        self.out = nn.Linear(d, vocab)

    def forward(self, feats, tgt):
        return self.out(self.decoder(self.embed(tgt), feats))  # expect: ML401


def train_step(model, feats, tgt):
    model.train()
    logits = model(feats, tgt[:-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), tgt[1:].reshape(-1))
    loss.backward()
    return loss
