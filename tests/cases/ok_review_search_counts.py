"""Search paths with unused counts (num_beams, n_tokens): counts are not the memory's lengths."""
import torch
import torch.nn as nn


class Captioner(nn.Module):
    """Image regions -> caption; regions padded per image in training batches."""

    def __init__(self, vocab=100, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.proj = nn.Linear(2048, d)
        layer = nn.TransformerDecoderLayer(d, 4, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, 2)
        self.out = nn.Linear(d, vocab)

    def forward(self, regions, region_pad, tgt):
        memory = self.proj(regions)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))
        h = self.decoder(self.emb(tgt), memory, tgt_mask=tgt_mask, memory_key_padding_mask=region_pad)
        return self.out(h)

    @torch.no_grad()
    def generate(self, regions, max_length=None, num_beams=1):
        max_length = 20
        memory = self.proj(regions)
        ys = torch.ones(regions.size(0), 1, dtype=torch.long)
        for _ in range(max_length):
            m = nn.Transformer.generate_square_subsequent_mask(ys.size(1))
            h = self.decoder(self.emb(ys), memory, tgt_mask=m)
            ys = torch.cat([ys, self.out(h[:, -1]).argmax(-1, keepdim=True)], 1)
        return ys

    @torch.no_grad()
    def sample(self, regions, n_tokens=20, temperature=1.0):
        memory = self.proj(regions)
        ys = torch.ones(regions.size(0), 1, dtype=torch.long)
        for _ in range(20):
            m = nn.Transformer.generate_square_subsequent_mask(ys.size(1))
            h = self.decoder(self.emb(ys), memory, tgt_mask=m)
            ys = torch.cat([ys, torch.multinomial((self.out(h[:, -1]) / temperature).softmax(-1), 1)], 1)
        return ys
