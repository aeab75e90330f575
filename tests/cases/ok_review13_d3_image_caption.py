"""Image captioning: the memory is a fixed grid of patch features, never padded.  `memory_mask` is
kept for interface compatibility with the text-memory decoder and is always None."""
import torch
import torch.nn as nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    @torch.no_grad()
    def greedy(self, memory, memory_mask=None, max_len=20, bos=1):
        ys = torch.full((memory.size(0), 1), bos, dtype=torch.long, device=memory.device)
        for _ in range(max_len):
            L = ys.size(1)
            causal = torch.triu(torch.ones(L, L, dtype=torch.bool, device=memory.device), 1)
            h = self.dec(self.emb(ys), memory, tgt_mask=causal)
            ys = torch.cat([ys, self.out(h[:, -1]).argmax(-1, keepdim=True)], 1)
        return ys


def caption(images_feats):
    model = CaptionDecoder()
    return model.greedy(images_feats)
