"""Decoders whose training path and inference path differ, each correct: a TransformerDecoderLayer
subclass that decodes only the newest position when not training (it may see every cached position)
and gets the causal mask in training; the same written `if not self.training:` first; and a
script that switches the model to eval() before the cached decode."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class IncrementalLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory=None, tgt_mask=None, **kwargs):
        if not self.training:
            last = tgt[-1:]
            y = self.self_attn(last, tgt, tgt, need_weights=False)[0]
            last = self.norm1(last + y)
            last = self.norm2(last + self.multihead_attn(last, memory, memory, need_weights=False)[0])
            return self.norm3(last + self.linear2(self.activation(self.linear1(last))))
        return super().forward(tgt, memory, tgt_mask=tgt_mask)


class IncrementalDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory=None, cache=None):
        out = tgt
        if self.training:
            mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0))
            for layer in self.layers:
                out = layer(out, memory, tgt_mask=mask)
            return out, None
        states = []
        for i, layer in enumerate(self.layers):
            out = layer(out, memory)
            states.append(out)
            if cache is not None:
                out = torch.cat([cache[i], out], dim=0)
        return out, torch.stack(states)


class Translator(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 64), 2, enable_nested_tensor=False)
        self.decoder = IncrementalDecoder(IncrementalLayer(d, heads, 64), 2)
        self.out = nn.Linear(d, vocab)

    def forward(self, src, tgt):
        memory = self.encoder(self.embed(src))
        hidden, _ = self.decoder(self.embed(tgt), memory)
        return self.out(hidden)


def train_then_decode(model, src, tgt):
    model.train()
    logits = model(src, tgt[:-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), tgt[1:].reshape(-1))
    loss.backward()
    model.eval()
    with torch.no_grad():
        memory = model.encoder(model.embed(src))
        return model.decoder(model.embed(tgt[:1]), memory)
