"""Attention-based ASR, sequence-first (time, batch, feature) like ESPnet's early recipes."""
import math

import torch
import torch.nn as nn

from .masks import lengths_to_padding_mask, subsequent_mask


class SpeechTransformer(nn.Module):
    def __init__(self, n_mels=40, vocab=100, d_model=64, nhead=4, enc_layers=2, dec_layers=2, sos=1, eos=2):
        super().__init__()
        self.sos, self.eos = sos, eos
        self.d_model = d_model
        self.proj = nn.Linear(n_mels, d_model)
        self.embed = nn.Embedding(vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.0), enc_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, 0.0), dec_layers)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, feats, feat_lens):
        # feats: (S, N, n_mels)
        pad = lengths_to_padding_mask(feat_lens, feats.size(0))
        memory = self.encoder(self.proj(feats), src_key_padding_mask=pad)
        return memory, pad

    def forward(self, feats, feat_lens, tokens_in):
        # tokens_in: (T, N), starts with <sos>
        memory, pad = self.encode(feats, feat_lens)
        T = tokens_in.size(0)
        y = self.embed(tokens_in) * math.sqrt(self.d_model)
        h = self.decoder(y, memory, tgt_mask=subsequent_mask(T, tokens_in.device))  # expect: ML502
        return self.out(h)

    @torch.no_grad()
    def greedy_decode(self, feats, feat_lens, max_len=20):
        memory, pad = self.encode(feats, feat_lens)
        ys = torch.full((1, feats.size(1)), self.sos, dtype=torch.long, device=feats.device)
        for _ in range(max_len):
            T = ys.size(0)
            y = self.embed(ys) * math.sqrt(self.d_model)
            h = self.decoder(y, memory, tgt_mask=subsequent_mask(T, ys.device), memory_key_padding_mask=pad)
            nxt = self.out(h[-1]).argmax(-1, keepdim=True).transpose(0, 1)
            ys = torch.cat([ys, nxt], dim=0)
        return ys
