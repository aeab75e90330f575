"""A multi-hop dense retriever: a bidirectional text encoder (padding mask only) embeds the query;
the best passage is appended to the query and the query is encoded again. Correct: retrieval
encoders are bidirectional."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Retriever(nn.Module):
    def __init__(self, vocab=30522, d=256, h=8, n=4, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, h, 4 * d, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, n)

    def forward(self, ids):
        pad = ids == self.pad
        h = self.body(self.emb(ids), src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return F.normalize((h * keep).sum(1) / keep.sum(1), dim=-1)

    @torch.no_grad()
    def hops(self, query_ids, passage_vecs, passage_ids, n_hops=2):
        picked = []
        for _ in range(n_hops):
            q = self(query_ids)
            scores = q @ passage_vecs.T
            top = scores.topk(1, dim=-1).indices
            best = top[:, -1]
            picked.append(best)
            query_ids = torch.cat([query_ids, passage_ids[best]], dim=1)
        return torch.stack(picked, 1)
