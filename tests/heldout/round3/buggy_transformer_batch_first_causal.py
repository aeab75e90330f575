"""Summarisation model on nn.Transformer with batch-first tensors, plus a
greedy decoder for inference."""
import math

import torch
import torch.nn as nn


class Summarizer(nn.Module):
    def __init__(self, vocab_size, d_model=512, nhead=8, num_layers=6, pad_id=0, max_len=1024):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead,
            num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=4 * d_model, dropout=0.1, batch_first=True,
        )
        self.lm_head = nn.Linear(d_model, vocab_size)
        self.scale = math.sqrt(d_model)

    def _embed(self, ids):
        pos = torch.arange(ids.size(1), device=ids.device)
        return self.embed(ids) * self.scale + self.pos(pos)

    def forward(self, src, tgt):
        # src: (B, S), tgt: (B, T) token ids
        src_pad = src == self.pad_id
        tgt_pad = tgt == self.pad_id
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0), device=tgt.device)
        out = self.transformer(
            self._embed(src),
            self._embed(tgt),
            tgt_mask=tgt_mask,  # expect: ML303
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.lm_head(out)

    @torch.no_grad()
    def greedy_decode(self, src, bos_id, eos_id, max_new_tokens=128):
        src_pad = src == self.pad_id
        memory = self.transformer.encoder(self._embed(src), src_key_padding_mask=src_pad)
        ys = torch.full((src.size(0), 1), bos_id, dtype=torch.long, device=src.device)
        for _ in range(max_new_tokens):
            causal = nn.Transformer.generate_square_subsequent_mask(ys.size(0), device=src.device)
            out = self.transformer.decoder(
                self._embed(ys),
                memory,
                tgt_mask=causal,  # expect: ML303
                memory_key_padding_mask=src_pad,
            )
            next_tok = self.lm_head(out[:, -1]).argmax(-1, keepdim=True)
            ys = torch.cat([ys, next_tok], dim=1)
            if (next_tok == eos_id).all():
                break
        return ys
