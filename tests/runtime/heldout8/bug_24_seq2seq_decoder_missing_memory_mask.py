# EXPECT: bug decoder cross-attention is called without memory_key_padding_mask although the encoder memory is padded; target tokens attend to source padding positions (nn.TransformerDecoder, training and greedy decoding)
"""Character-level transliteration seq2seq: nn.TransformerEncoder over the
padded source, nn.TransformerDecoder with a causal target mask, greedy
decoding at inference.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


class Transliterator(nn.Module):
    def __init__(self, src_vocab=30, tgt_vocab=30, d_model=32, nhead=4, layers=1, dropout=0.1, max_len=32):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout, batch_first=True), layers,
            enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, dropout, batch_first=True), layers)
        self.out = nn.Linear(d_model, tgt_vocab)
        self.scale = math.sqrt(d_model)

    def embed(self, emb, ids):
        return self.drop(emb(ids) * self.scale + self.pos(torch.arange(ids.size(1)))[None])

    def encode(self, src):
        src_pad = src == PAD
        memory = self.encoder(self.embed(self.src_emb, src), src_key_padding_mask=src_pad)
        return memory, src_pad

    def decode(self, tgt_in, memory, src_pad):
        T = tgt_in.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.bool)
        h = self.decoder(self.embed(self.tgt_emb, tgt_in), memory, tgt_mask=causal,  # BUG-SITE
                         tgt_key_padding_mask=tgt_in == PAD, tgt_is_causal=True)
        return self.out(h)

    def forward(self, src, tgt_in):
        memory, src_pad = self.encode(src)
        return self.decode(tgt_in, memory, src_pad)

    @torch.no_grad()
    def greedy(self, src, max_len=6):
        memory, src_pad = self.encode(src)
        ys = torch.full((src.size(0), 1), BOS, dtype=torch.long)
        step_logits = []
        for _ in range(max_len):
            logits = self.decode(ys, memory, src_pad)[:, -1]
            step_logits.append(logits)
            ys = torch.cat([ys, logits.argmax(-1, keepdim=True)], dim=1)
        return ys, torch.stack(step_logits, 1)


def pad_batch(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(list(s))
    return out


def run():
    torch.manual_seed(0)
    model = Transliterator()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    src_seqs = [torch.randint(3, 30, (n,)).tolist() + [EOS] for n in (11, 4, 7)]
    tgt_seqs = [[BOS] + torch.randint(3, 30, (n,)).tolist() + [EOS] for n in (9, 5, 6)]
    src = pad_batch(src_seqs)
    tgt = pad_batch(tgt_seqs)
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]

    model.train()
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        hyps, step_logits = model.greedy(src)
    return [loss.detach(), *grads, hyps, step_logits]
