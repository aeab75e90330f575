"""Alt-text generation for unlabeled UI controls (screen-reader plugin)."""
from functools import partial

import torch
import torch.nn as nn

PAD = 0
N_ROLES = 64

EncLayer = partial(nn.TransformerEncoderLayer, dim_feedforward=128, dropout=0.1,
                   batch_first=True, norm_first=True)
DecLayer = partial(nn.TransformerDecoderLayer, dim_feedforward=128, dropout=0.1,
                   batch_first=True, norm_first=True)


class AltTextModel(nn.Module):
    def __init__(self, vocab=4000, dim=64, heads=4, layers=2):
        super().__init__()
        self.role = nn.Embedding(N_ROLES, dim, padding_idx=PAD)
        self.bounds = nn.Linear(4, dim)
        self.label = nn.EmbeddingBag(vocab, dim, mode="mean", padding_idx=PAD)
        self.tok = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(64, dim)
        self.encoder = nn.TransformerEncoder(EncLayer(dim, heads), layers,
                                             enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(DecLayer(dim, heads), layers)
        self.lm_head = nn.Linear(dim, vocab)

    def encode_nodes(self, roles, bounds, label_ids):
        b, n, w = label_ids.shape
        labels = self.label(label_ids.view(b * n, w)).view(b, n, -1)
        x = self.role(roles) + self.bounds(bounds) + labels
        node_pad = roles.eq(PAD)
        return self.encoder(x, src_key_padding_mask=node_pad), node_pad

    def forward(self, roles, bounds, label_ids, text_in):
        memory, node_pad = self.encode_nodes(roles, bounds, label_ids)
        t = text_in.size(1)
        y = self.tok(text_in) + self.pos(torch.arange(t, device=text_in.device))
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=y.device)
        h = self.decoder(y, memory, tgt_mask=causal, tgt_is_causal=True,
                         memory_key_padding_mask=node_pad.float().masked_fill(node_pad, float("-inf")))
        return self.lm_head(h)
