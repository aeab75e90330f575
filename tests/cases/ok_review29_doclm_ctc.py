"""Conformer-lite acoustic model trained with CTC; at inference the logits are rescored by
beam search with an external n-gram language model (kenlm)."""
import torch
import torch.nn as nn


class SpeechRecognizer(nn.Module):
    def __init__(self, n_mels=80, d=256, heads=4, layers=6, vocab_size=32):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.char_emb = nn.Embedding(vocab_size, d)  # used by the auxiliary char decoder in train.py
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), layers)
        self.vocab_head = nn.Linear(d, vocab_size)

    def forward(self, feats, feat_pad):
        h = self.enc(self.inp(feats), src_key_padding_mask=feat_pad)
        return self.vocab_head(h).log_softmax(-1)
