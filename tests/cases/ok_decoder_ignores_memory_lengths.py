"""Correct twins: the memory's lengths become its padding mask; a target length left unused is
not the memory's."""
import torch
import torch.nn as nn


class Recognizer(nn.Module):
    def __init__(self, d=32, vocab=40):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, 64, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    def greedy_step(self, tokens, memory, memory_lengths):
        t = tokens.size(1)
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        pad = torch.arange(memory.size(1))[None, :] >= memory_lengths[:, None]
        return self.out(self.decoder(self.emb(tokens), memory, tgt_mask=causal, memory_key_padding_mask=pad))


class Captioner(nn.Module):
    def __init__(self, d=32, vocab=40):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerDecoderLayer(d, 4, 64, batch_first=True)

    def forward(self, words, regions, tgt_lengths=None):
        t = words.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t)
        return self.layer(self.emb(words), regions, tgt_mask=causal, tgt_is_causal=True)
