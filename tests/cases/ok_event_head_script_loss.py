"""Twins of buggy_event_head_script_loss: the decoder is causal; a tagger with a head as wide as
its embedding but per-position labels (no shift) is an encoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class EventDecoder(nn.Module):
    def __init__(self, n_events=36, d=32):
        super().__init__()
        self.embed = nn.Embedding(n_events, d, padding_idx=PAD)
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)
        self.head = nn.Linear(d, n_events)

    def forward(self, tokens):
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.size(1), dtype=torch.bool)
        return self.head(self.body(self.embed(tokens), mask=causal, src_key_padding_mask=tokens == PAD))


def train_step(model, batch, opt):
    inp, tgt = batch[:, :-1], batch[:, 1:]
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss
