# EXPECT: bug nn.Transformer called positionally with the target padding mask in the memory_key_padding_mask slot; cross-attention masks keys by target padding, so source padding is attended and real source tokens are dropped
"""Translation model in the style of the PyTorch "Language Translation with
nn.Transformer" tutorial, with fixed-length padding (MAX_LEN source tokens,
MAX_LEN + 1 target tokens incl. BOS).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_IDX, BOS_IDX, EOS_IDX = 0, 1, 2
MAX_LEN = 10


class PositionalEncoding(nn.Module):
    def __init__(self, emb_size, dropout, maxlen=64):
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
    def __init__(self, num_layers, emb_size, nhead, src_vocab_size, tgt_vocab_size, dim_feedforward=64, dropout=0.1):
        super().__init__()
        self.transformer = nn.Transformer(d_model=emb_size, nhead=nhead, num_encoder_layers=num_layers,
                                          num_decoder_layers=num_layers, dim_feedforward=dim_feedforward,
                                          dropout=dropout, batch_first=True)
        self.generator = nn.Linear(emb_size, tgt_vocab_size)
        self.src_tok_emb = nn.Embedding(src_vocab_size, emb_size)
        self.tgt_tok_emb = nn.Embedding(tgt_vocab_size, emb_size)
        self.positional_encoding = PositionalEncoding(emb_size, dropout=dropout)
        self.emb_size = emb_size

    def forward(self, src, trg, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask):
        src_emb = self.positional_encoding(self.src_tok_emb(src) * math.sqrt(self.emb_size))
        tgt_emb = self.positional_encoding(self.tgt_tok_emb(trg) * math.sqrt(self.emb_size))
        outs = self.transformer(src_emb, tgt_emb, src_mask, tgt_mask, None,  # BUG-SITE
                                src_padding_mask, tgt_padding_mask, tgt_padding_mask)
        return self.generator(outs)


def create_mask(src, tgt):
    src_seq_len = src.shape[1]
    tgt_seq_len = tgt.shape[1]
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt_seq_len, dtype=torch.bool)
    src_mask = torch.zeros((src_seq_len, src_seq_len), dtype=torch.bool)
    src_padding_mask = src == PAD_IDX
    tgt_padding_mask = tgt == PAD_IDX
    return src_mask, tgt_mask, src_padding_mask, tgt_padding_mask


def collate(pairs, vocab):
    src = torch.full((len(pairs), MAX_LEN), PAD_IDX, dtype=torch.long)
    tgt = torch.full((len(pairs), MAX_LEN + 1), PAD_IDX, dtype=torch.long)
    for i, (ns, nt) in enumerate(pairs):
        src[i, :ns] = torch.cat([torch.randint(3, vocab, (ns - 1,)), torch.tensor([EOS_IDX])])
        tgt[i, :nt + 2] = torch.cat([torch.tensor([BOS_IDX]), torch.randint(3, vocab, (nt,)), torch.tensor([EOS_IDX])])
    return src, tgt


def run():
    torch.manual_seed(0)
    vocab = 30
    model = Seq2SeqTransformer(2, 32, 4, vocab, vocab)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_IDX)
    src, tgt = collate([(10, 8), (4, 5), (7, 3)], vocab)
    tgt_input, tgt_out = tgt[:, :-1], tgt[:, 1:]

    model.train()
    src_mask, tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt_input)
    logits = model(src, tgt_input, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask)
    loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(src, tgt_input, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask)
        eval_loss = loss_fn(eval_logits.reshape(-1, eval_logits.shape[-1]), tgt_out.reshape(-1))
    return [loss.detach(), *grads, eval_logits, eval_loss]
