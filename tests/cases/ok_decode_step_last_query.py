"""A decoder layer with a decode step whose query is the last position alone (``tgt[-1:]``)
over all the keys so far: nothing is in its future, no causal mask is needed.  The training
path passes the causal mask."""
import torch
import torch.nn as nn


class CausalCachedDecoderLayer(nn.TransformerDecoderLayer):
    def step(self, tgt, memory):
        last = tgt[-1:]
        last = self.norm1(last + self.self_attn(last, tgt, tgt, need_weights=False)[0])
        last = self.norm2(last + self.multihead_attn(last, memory, memory, need_weights=False)[0])
        return self.norm3(last + self.linear2(self.activation(self.linear1(last))))


class CachedDecoder(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, vocab=50):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(CausalCachedDecoderLayer(d, heads, 64, 0.0) for _ in range(layers))
        self.out = nn.Linear(d, vocab)

    def forward(self, tgt_ids, memory):
        x = self.emb(tgt_ids)
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_ids.size(0))
        for layer in self.layers:
            x = layer(x, memory, tgt_mask=causal)
        return self.out(x)

    @torch.no_grad()
    def generate(self, start, memory, steps=5):
        ids = start
        for _ in range(steps):
            x = self.emb(ids)
            for layer in self.layers:
                x = torch.cat([x[:-1], layer.step(x, memory)], dim=0)
            ids = torch.cat([ids, self.out(x[-1:]).argmax(-1)], dim=0)
        return ids
