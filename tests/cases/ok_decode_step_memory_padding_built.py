"""Correct: decode steps that build the memory's padding mask from lengths or source ids and
pass it to the decoder."""
import torch
import torch.nn as nn

PAD = 0


def lengths_to_padding(lengths, total):
    return torch.arange(total, device=lengths.device)[None, :] >= lengths[:, None]


class Speller(nn.Module):
    def __init__(self, vocab=40, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(dim, heads, batch_first=True), 2)

    @torch.no_grad()
    def decode(self, tokens, memory, memory_lengths):
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.size(1), dtype=torch.bool)
        memory_pad = lengths_to_padding(memory_lengths, memory.size(1))
        return self.decoder(self.emb(tokens), memory, tgt_mask=causal, memory_key_padding_mask=memory_pad)


class Rewriter(nn.Module):
    def __init__(self, vocab=40, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layer = nn.TransformerDecoderLayer(dim, heads, batch_first=True)

    def step(self, prefix, memory, source_ids):
        source_pad = source_ids == PAD
        causal = torch.triu(torch.ones(prefix.size(1), prefix.size(1), dtype=torch.bool), 1)
        return self.layer(self.emb(prefix), memory, tgt_mask=causal, memory_key_padding_mask=source_pad)
