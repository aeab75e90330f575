"""Encoder padding masked, decoder cross-attention not (P5-1, SpeechBrain; P5-4).

Without memory_key_padding_mask the decoder attends to the encoder's outputs at padded
positions, so results depend on how much padding the batch has (beam search != single).
"""
import torch
import torch.nn as nn


class TransformerASR(nn.Module):
    def __init__(self, input_size=80, vocab=1000, d_model=256, nhead=4):
        super().__init__()
        self.proj = nn.Linear(input_size, d_model)
        self.embed = nn.Embedding(vocab, d_model)
        enc = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        dec = nn.TransformerDecoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, 6)
        self.decoder = nn.TransformerDecoder(dec, 6)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_pad, tokens, token_pad):
        memory = self.encoder(self.proj(feats), src_key_padding_mask=feat_pad)
        T = tokens.size(1)
        tgt_mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tokens.device), 1)
        h = self.decoder(self.embed(tokens), memory, tgt_mask=tgt_mask, tgt_key_padding_mask=token_pad)  # expect: ML502
        return self.out(h)


class Summarizer(nn.Module):
    def __init__(self, vocab, d_model=512, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model)
        self.model = nn.Transformer(d_model, batch_first=True)
        self.lm = nn.Linear(d_model, vocab)

    def forward(self, article, summary_in):
        tgt_mask = self.model.generate_square_subsequent_mask(summary_in.size(1), device=summary_in.device)
        out = self.model(  # expect: ML502
            self.embed(article),
            self.embed(summary_in),
            tgt_mask=tgt_mask,
            src_key_padding_mask=article == self.pad_id,
        )
        return self.lm(out)
