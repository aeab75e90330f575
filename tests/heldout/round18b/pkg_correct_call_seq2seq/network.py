import torch
import torch.nn as nn


class DocstringModel(nn.Module):
    def __init__(self, code_vocab, text_vocab, d_model=32, nhead=4, layers=2, max_len=64):
        super().__init__()
        self.code_emb = nn.Embedding(code_vocab, d_model)
        self.text_emb = nn.Embedding(text_vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.core = nn.Transformer(d_model, nhead, layers, layers, 64, dropout=0.0, batch_first=True)
        self.proj = nn.Linear(d_model, text_vocab)

    def _embed(self, emb, ids):
        return emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, code, text, code_mask, text_mask, memory_mask, code_pad, text_pad, memory_pad):
        out = self.core(
            self._embed(self.code_emb, code),
            self._embed(self.text_emb, text),
            code_mask,
            text_mask,
            memory_mask,
            code_pad,
            text_pad,
            memory_pad,
        )
        return self.proj(out)

    def encode(self, code, code_pad):
        return self.core.encoder(self._embed(self.code_emb, code), None, code_pad)

    def step(self, text, memory, text_mask, memory_pad):
        h = self.core.decoder(self._embed(self.text_emb, text), memory, text_mask, None, None, memory_pad)
        return self.proj(h[:, -1])
