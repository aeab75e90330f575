"""Abstractive summariser: separate nn.TransformerEncoder / nn.TransformerDecoder stacks."""
import math

import torch
from torch import nn

PAD_IDX, BOS_IDX, EOS_IDX = 0, 1, 2


class TokenEmbedding(nn.Module):
    def __init__(self, vocab_size, emb_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_size, padding_idx=PAD_IDX)
        self.emb_size = emb_size

    def forward(self, tokens):
        return self.embedding(tokens) * math.sqrt(self.emb_size)


class LearnedPositions(nn.Module):
    def __init__(self, emb_size, max_len=512, dropout=0.1):
        super().__init__()
        self.table = nn.Embedding(max_len, emb_size)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(x + self.table(torch.arange(x.size(1), device=x.device)))


class Summariser(nn.Module):
    def __init__(self, vocab_size=4000, emb_size=64, nhead=4, enc_layers=2, dec_layers=2, ff=128, dropout=0.1):
        super().__init__()
        self.src_emb = TokenEmbedding(vocab_size, emb_size)
        self.tgt_emb = TokenEmbedding(vocab_size, emb_size)
        self.positions = LearnedPositions(emb_size, dropout=dropout)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(emb_size, nhead, ff, dropout, batch_first=True), enc_layers,
            enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(emb_size, nhead, ff, dropout, batch_first=True), dec_layers)
        self.lm_head = nn.Linear(emb_size, vocab_size)

    def encode(self, src):
        src_padding_mask = src == PAD_IDX
        memory = self.encoder(self.positions(self.src_emb(src)), src_key_padding_mask=src_padding_mask)
        return memory, src_padding_mask

    def decode(self, tgt, memory):
        T = tgt.size(1)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(T, device=tgt.device, dtype=torch.bool)
        out = self.decoder(  # expect: ML502
            self.positions(self.tgt_emb(tgt)), memory,
            tgt_mask=tgt_mask,
            tgt_key_padding_mask=tgt == PAD_IDX,
        )
        return self.lm_head(out)

    def forward(self, src, tgt):
        memory, _ = self.encode(src)
        return self.decode(tgt, memory)

    @torch.no_grad()
    def greedy_summarise(self, src, max_len=12):
        self.eval()
        memory, _ = self.encode(src)
        ys = torch.full((src.size(0), 1), BOS_IDX, dtype=torch.long, device=src.device)
        for _ in range(max_len):
            nxt = self.decode(ys, memory)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
        return ys


def pad_batch(seqs):
    return nn.utils.rnn.pad_sequence([torch.tensor(s) for s in seqs], batch_first=True, padding_value=PAD_IDX)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Summariser()
    articles = pad_batch([list(range(10, 60)), list(range(100, 121)), list(range(300, 333))])
    summaries = pad_batch([[BOS_IDX, 11, 12, 13, EOS_IDX], [BOS_IDX, 101, EOS_IDX], [BOS_IDX, 301, 302, EOS_IDX]])
    logits = model(articles, summaries[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), summaries[:, 1:], ignore_index=PAD_IDX)
    print("loss", round(loss.item(), 3))
    print("greedy", model.greedy_summarise(articles)[:, 1:6].tolist())
