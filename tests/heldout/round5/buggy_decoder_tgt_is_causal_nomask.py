"""Abstractive summarizer; the decoder relies on the causal hint instead of a tgt_mask."""
import torch
import torch.nn as nn


class Summarizer(nn.Module):
    def __init__(self, vocab=16000, d=256, heads=8, layers=3, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 1024, batch_first=True), layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 1024, batch_first=True), layers)
        self.lm_head = nn.Linear(d, vocab)

    def encode(self, article):
        pad = article.eq(self.pad_id)
        return self.encoder(self.emb(article), src_key_padding_mask=pad), pad

    def decode(self, summary_in, memory, memory_pad):
        y = self.decoder(  # expect: ML402
            self.emb(summary_in),
            memory,
            tgt_is_causal=True,
            tgt_key_padding_mask=summary_in.eq(self.pad_id),
            memory_key_padding_mask=memory_pad,
        )
        return self.lm_head(y)

    def forward(self, article, summary_in):
        memory, pad = self.encode(article)
        return self.decode(summary_in, memory, pad)

    @torch.no_grad()
    def greedy(self, article, bos=1, max_len=20):
        self.eval()
        memory, pad = self.encode(article)
        out = torch.full((article.size(0), 1), bos, dtype=torch.long)
        for _ in range(max_len):
            nxt = self.decode(out, memory, pad)[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
        return out


if __name__ == "__main__":
    m = Summarizer()
    art = torch.randint(1, 16000, (2, 40))
    print(m.greedy(art, max_len=5))
