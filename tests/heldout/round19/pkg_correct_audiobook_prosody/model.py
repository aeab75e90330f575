import torch
from torch import nn

from .masks import lookahead
from .text import PROSODY, SEQ_LEN


class ProsodyPlanner(nn.Module):
    def __init__(self, vocab_size=8000, d=64, heads=4, layers=2):
        super().__init__()
        self.word = nn.Embedding(vocab_size, d, padding_idx=0)
        self.mark = nn.Embedding(len(PROSODY), d, padding_idx=0)
        self.pos = nn.Embedding(SEQ_LEN, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 2 * d, batch_first=True), layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 2 * d, batch_first=True), layers)
        self.head = nn.Linear(d, len(PROSODY))

    def _embed(self, table, ids):
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def encode(self, word_ids, word_pad):
        return self.encoder(self._embed(self.word, word_ids), src_key_padding_mask=word_pad)

    def decode(self, memory, mark_ids, memory_pad, mark_pad):
        h = self.decoder(self._embed(self.mark, mark_ids), memory, lookahead(mark_ids.size(1), mark_ids.device), None, mark_pad, memory_pad)
        return self.head(h)

    def forward(self, word_ids, word_pad, mark_ids, mark_pad):
        memory = self.encode(word_ids, word_pad)
        return self.decode(memory, mark_ids, word_pad, mark_pad)
