# EXPECT: bug nn.Transformer is called with src_key_padding_mask and tgt_key_padding_mask but without memory_key_padding_mask, so the decoder cross-attention attends to the padded encoder positions.
"""Imitates the PyTorch "Language Translation with nn.Transformer and torchtext"
tutorial (Seq2SeqTransformer, create_mask, greedy_decode) with a batch-first
nn.Transformer."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_IDX, BOS_IDX, EOS_IDX = 0, 1, 2


class PositionalEncoding(nn.Module):
    def __init__(self, emb_size, dropout, maxlen=32):
        super().__init__()
        den = torch.exp(-torch.arange(0, emb_size, 2) * math.log(10000) / emb_size)
        pos = torch.arange(0, maxlen).reshape(maxlen, 1)
        pe = torch.zeros((maxlen, emb_size))
        pe[:, 0::2] = torch.sin(pos * den)
        pe[:, 1::2] = torch.cos(pos * den)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("pos_embedding", pe.unsqueeze(0))

    def forward(self, token_embedding):
        return self.dropout(token_embedding + self.pos_embedding[:, : token_embedding.size(1)])


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab=30, tgt_vocab=28, emb_size=32, nhead=4, layers=2, dim_ff=64, dropout=0.1):
        super().__init__()
        self.transformer = nn.Transformer(
            d_model=emb_size, nhead=nhead, num_encoder_layers=layers, num_decoder_layers=layers,
            dim_feedforward=dim_ff, dropout=dropout, batch_first=True,
        )
        self.generator = nn.Linear(emb_size, tgt_vocab)
        self.src_tok_emb = nn.Embedding(src_vocab, emb_size)
        self.tgt_tok_emb = nn.Embedding(tgt_vocab, emb_size)
        self.positional_encoding = PositionalEncoding(emb_size, dropout)
        self.emb_size = emb_size

    def forward(self, src, tgt, tgt_mask, src_padding_mask, tgt_padding_mask):
        src_emb = self.positional_encoding(self.src_tok_emb(src) * math.sqrt(self.emb_size))
        tgt_emb = self.positional_encoding(self.tgt_tok_emb(tgt) * math.sqrt(self.emb_size))
        outs = self.transformer(  # BUG-SITE
            src_emb, tgt_emb, tgt_mask=tgt_mask,
            src_key_padding_mask=src_padding_mask, tgt_key_padding_mask=tgt_padding_mask,
        )
        return self.generator(outs)


def create_mask(src, tgt):
    tgt_seq_len = tgt.shape[1]
    tgt_mask = torch.triu(torch.ones(tgt_seq_len, tgt_seq_len, dtype=torch.bool), diagonal=1)
    src_padding_mask = src == PAD_IDX
    tgt_padding_mask = tgt == PAD_IDX
    return tgt_mask, src_padding_mask, tgt_padding_mask


def pad_sequence(seqs, pad=PAD_IDX):
    n = max(len(s) for s in seqs)
    out = torch.full((len(seqs), n), pad, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def collate_fn(g, src_lens, tgt_lens):
    src = [torch.cat([torch.tensor([BOS_IDX]), torch.randint(3, 30, (n,), generator=g), torch.tensor([EOS_IDX])]) for n in src_lens]
    tgt = [torch.cat([torch.tensor([BOS_IDX]), torch.randint(3, 28, (n,), generator=g), torch.tensor([EOS_IDX])]) for n in tgt_lens]
    return pad_sequence(src), pad_sequence(tgt)


@torch.no_grad()
def greedy_decode(model, src, max_len=6):
    ys = torch.full((src.size(0), 1), BOS_IDX, dtype=torch.long)
    for _ in range(max_len):
        tgt_mask, src_pad, tgt_pad = create_mask(src, ys)
        logits = model(src, ys, tgt_mask, src_pad, tgt_pad)
        next_word = logits[:, -1].argmax(-1, keepdim=True)
        ys = torch.cat([ys, next_word], dim=1)
    return ys, logits[:, -1]


def run():
    torch.manual_seed(0)
    model = Seq2SeqTransformer()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    g = torch.Generator().manual_seed(23)
    src, tgt = collate_fn(g, [8, 3, 6, 5], [6, 4, 7, 2])
    tgt_input = tgt[:, :-1]

    model.train()
    tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt_input)
    logits = model(src, tgt_input, tgt_mask, src_padding_mask, tgt_padding_mask)
    tgt_out = tgt[:, 1:]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=PAD_IDX)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    src2, _ = collate_fn(g, [4, 9, 2], [1, 1, 1])
    ys, last_logits = greedy_decode(model, src2)
    return [loss.detach(), *grads, ys, last_logits]
