# EXPECT: ok
"""PyTorch-tutorial-style translation model with nn.Transformer in the default (S, N, E)
layout: every tensor is sequence-first, so size(0) is the length."""
import math

import torch
import torch.nn as nn

PAD_IDX, BOS_IDX = 1, 2


class TokenEmbedding(nn.Module):
    def __init__(self, vocab, emb):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.emb = emb

    def forward(self, tokens):
        return self.embedding(tokens.long()) * math.sqrt(self.emb)


def create_mask(src, tgt):
    src_seq_len, tgt_seq_len = src.shape[0], tgt.shape[0]
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt_seq_len)
    src_mask = torch.zeros((src_seq_len, src_seq_len)).type(torch.bool)
    src_padding_mask = (src == PAD_IDX).transpose(0, 1)
    tgt_padding_mask = (tgt == PAD_IDX).transpose(0, 1)
    return src_mask, tgt_mask, src_padding_mask, tgt_padding_mask


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab=40, tgt_vocab=45, emb=32, nhead=4, layers=2, dropout=0.1):
        super().__init__()
        self.transformer = nn.Transformer(d_model=emb, nhead=nhead, num_encoder_layers=layers,
                                          num_decoder_layers=layers, dim_feedforward=64, dropout=dropout)
        self.generator = nn.Linear(emb, tgt_vocab)
        self.src_tok_emb = TokenEmbedding(src_vocab, emb)
        self.tgt_tok_emb = TokenEmbedding(tgt_vocab, emb)
        self.pos = nn.Parameter(torch.randn(32, 1, emb) * 0.02)
        self.drop = nn.Dropout(dropout)

    def forward(self, src, trg, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask, memory_key_padding_mask):
        src_emb = self.drop(self.src_tok_emb(src) + self.pos[: src.size(0)])
        tgt_emb = self.drop(self.tgt_tok_emb(trg) + self.pos[: trg.size(0)])
        outs = self.transformer(src_emb, tgt_emb, src_mask, tgt_mask, None,
                                src_padding_mask, tgt_padding_mask, memory_key_padding_mask)
        return self.generator(outs)


def run():
    torch.manual_seed(0)
    model = Seq2SeqTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    src = torch.randint(3, 40, (9, 3))
    tgt = torch.randint(3, 45, (8, 3))
    src[6:, 1] = PAD_IDX
    src[4:, 2] = PAD_IDX
    tgt[0] = BOS_IDX
    tgt[5:, 2] = PAD_IDX
    tgt_input, tgt_out = tgt[:-1], tgt[1:]
    masks = create_mask(src, tgt_input)
    model.train()
    logits = model(src, tgt_input, *masks, masks[2])
    loss = nn.CrossEntropyLoss(ignore_index=PAD_IDX)(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src, tgt_input, *masks, masks[2])
    return [loss.detach(), ev]
