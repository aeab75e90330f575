"""A translation model whose decoder self-attention gets no causal mask (P4-3, P4-4).

Teacher forcing feeds tgt[:, :-1] and scores against tgt[:, 1:]; without tgt_mask every
decoder position reads the token it must predict.  Greedy decoding then produces garbage.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=512, nhead=8, num_layers=3):
        super().__init__()
        self.src_tok = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_tok = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        self.transformer = nn.Transformer(
            d_model, nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers, batch_first=True
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt_in):
        src_pad = src == PAD
        tgt_pad = tgt_in == PAD
        out = self.transformer(  # expect: ML401
            self.src_tok(src),
            self.tgt_tok(tgt_in),
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.generator(out)


def train_step(model, optimizer, src, tgt):
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def greedy_decode(model, src, max_len=64):
    ys = torch.full((src.size(0), 1), BOS, dtype=torch.long, device=src.device)
    for _ in range(max_len - 1):
        next_word = model(src, ys)[:, -1].argmax(-1, keepdim=True)
        ys = torch.cat([ys, next_word], dim=1)
    return ys
