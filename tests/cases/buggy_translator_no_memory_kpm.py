"""German->English translator on nn.Transformer (batch-first)."""
import torch
import torch.nn as nn


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab=1000, tgt_vocab=1000, emb_size=64, nhead=4, num_layers=2, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.src_tok = nn.Embedding(src_vocab, emb_size)
        self.tgt_tok = nn.Embedding(tgt_vocab, emb_size)
        self.transformer = nn.Transformer(
            d_model=emb_size, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=128, dropout=0.0, batch_first=True,
        )
        self.generator = nn.Linear(emb_size, tgt_vocab)

    def forward(self, src, tgt):
        T = tgt.shape[1]
        tgt_mask = torch.ones(T, T, dtype=torch.bool, device=tgt.device).triu(1)
        src_padding_mask = src == self.pad_idx
        tgt_padding_mask = tgt == self.pad_idx
        outs = self.transformer(self.src_tok(src), self.tgt_tok(tgt), tgt_mask=tgt_mask, src_key_padding_mask=src_padding_mask, tgt_key_padding_mask=tgt_padding_mask)  # expect: ML502
        return self.generator(outs)
