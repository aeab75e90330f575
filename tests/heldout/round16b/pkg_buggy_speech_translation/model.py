import torch
import torch.nn as nn

from .utils import pad_mask, subsequent_mask


class SpeechTranslator(nn.Module):
    def __init__(self, n_mels=40, vocab=600, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.frontend = nn.Sequential(nn.Conv1d(n_mels, d_model, 3, 2, 1), nn.GELU())
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(256, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 2 * d_model, 0.1, batch_first=True)
        self.proj = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_lens, tgt_in):
        src = self.frontend(feats.transpose(1, 2)).transpose(1, 2)
        src_pad = pad_mask((feat_lens + 1) // 2, src.size(1))
        tgt = self.embed(tgt_in) + self.pos.weight[: tgt_in.size(1)]
        tgt_mask = subsequent_mask(tgt_in.size(0), tgt_in.device)  # expect: ML303
        out = self.transformer(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=src_pad,
                               memory_key_padding_mask=src_pad)
        return self.proj(out)
