"""Seq2seq models that hand the decoder's cross-attention the target padding mask, reused from
the target slot, as memory_key_padding_mask: padded source positions stay visible."""
import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.core = nn.Transformer(d, heads, 2, 2, 128, batch_first=True)

    def forward(self, src, tgt, src_pad, tgt_pad):
        causal = self.core.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        return self.core(src, tgt, tgt_mask=causal, src_key_padding_mask=src_pad,
                         tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=tgt_pad)  # expect: ML503


class Summarizer(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, batch_first=True), 2)

    def forward(self, article, summary, article_pad, summary_pad_mask):
        memory = self.encoder(article, src_key_padding_mask=article_pad)
        t = summary.size(1)
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        return self.decoder(summary, memory, tgt_mask=causal, tgt_key_padding_mask=summary_pad_mask,
                            memory_key_padding_mask=summary_pad_mask)  # expect: ML503
