import torch
import torch.nn as nn

from .masks import decoder_masks, lengths_to_padding
from .subsample import Conv2dSubsampler

PAD = 1


class SpeechTranslator(nn.Module):
    def __init__(self, vocab=8000, d=192, nhead=4, enc=3, dec=2):
        super().__init__()
        self.sub = Conv2dSubsampler(d)
        self.tgt_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(2048, d)
        self.transformer = nn.Transformer(d, nhead, enc, dec, 4 * d, dropout=0.1, batch_first=True)
        self.proj = nn.Linear(d, vocab)

    def forward(self, fbank, fbank_lens, prev_tokens):
        src, src_lens = self.sub(fbank, fbank_lens)
        src = src + self.pos.weight[: src.size(1)]
        src_pad = lengths_to_padding(src_lens, src.size(1))
        tgt = self.tgt_emb(prev_tokens) + self.pos.weight[: prev_tokens.size(1)]
        causal, tgt_pad = decoder_masks(prev_tokens, PAD)
        out = self.transformer(
            src, tgt,
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
            tgt_is_causal=True,
        )
        return self.proj(out)
