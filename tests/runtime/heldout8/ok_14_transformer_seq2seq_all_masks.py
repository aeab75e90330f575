# EXPECT: clean
"""Translation with nn.Transformer (batch_first) where every mask is passed by
keyword: causal bool tgt_mask, source padding as src_key_padding_mask and as
memory_key_padding_mask, target padding as tgt_key_padding_mask. Greedy
decoding reuses the source padding mask for cross-attention.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_IDX, BOS_IDX, EOS_IDX = 0, 1, 2


class TokenEmbedding(nn.Module):
    def __init__(self, vocab_size, emb_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_size, padding_idx=PAD_IDX)
        self.emb_size = emb_size

    def forward(self, tokens):
        return self.embedding(tokens) * math.sqrt(self.emb_size)


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=30, tgt_vocab=32, d_model=32, nhead=4, layers=1, dropout=0.1, max_len=40):
        super().__init__()
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 64, dropout, batch_first=True)
        self.src_emb = TokenEmbedding(src_vocab, d_model)
        self.tgt_emb = TokenEmbedding(tgt_vocab, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        self.drop = nn.Dropout(dropout)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def _embed(self, emb, tokens):
        return self.drop(emb(tokens) + self.pos[:, : tokens.size(1)])

    def forward(self, src, tgt_in):
        src_pad = src == PAD_IDX
        tgt_pad = tgt_in == PAD_IDX
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt_in.size(1), dtype=torch.bool)
        out = self.transformer(
            self._embed(self.src_emb, src),
            self._embed(self.tgt_emb, tgt_in),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
            tgt_is_causal=True,
        )
        return self.generator(out)

    @torch.no_grad()
    def greedy_decode(self, src, max_len=6):
        src_pad = src == PAD_IDX
        memory = self.transformer.encoder(self._embed(self.src_emb, src), src_key_padding_mask=src_pad)
        ys = torch.full((src.size(0), 1), BOS_IDX, dtype=torch.long)
        for _ in range(max_len):
            tgt_mask = self.transformer.generate_square_subsequent_mask(ys.size(1), dtype=torch.bool)
            out = self.transformer.decoder(self._embed(self.tgt_emb, ys), memory, tgt_mask=tgt_mask,
                                           memory_key_padding_mask=src_pad, tgt_is_causal=True)
            next_word = self.generator(out[:, -1]).argmax(-1, keepdim=True)
            ys = torch.cat([ys, next_word], dim=1)
        return ys


def pad(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD_IDX, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(s)
    return out


def run():
    torch.manual_seed(0)
    model = Seq2Seq()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    src = pad([torch.randint(3, 30, (n,)).tolist() + [EOS_IDX] for n in (10, 4, 7)])
    tgt = pad([[BOS_IDX] + torch.randint(3, 32, (n,)).tolist() + [EOS_IDX] for n in (6, 8, 3)])
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]

    model.train()
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD_IDX)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(src, tgt_in)
        hyps = model.greedy_decode(src)
    return [loss.detach(), *grads, eval_logits, hyps]
