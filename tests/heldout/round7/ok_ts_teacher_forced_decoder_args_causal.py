"""Encoder-decoder forecaster trained with teacher forcing; causal decoding is
a command-line switch (on by default) and the look-ahead mask is sized from the
decoder input's time axis (batch_first layout)."""
import argparse

import torch
import torch.nn as nn


def get_args(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--enc_in", type=int, default=3)
    p.add_argument("--d_model", type=int, default=32)
    p.add_argument("--n_heads", type=int, default=4)
    p.add_argument("--seq_len", type=int, default=16)
    p.add_argument("--label_len", type=int, default=4)
    p.add_argument("--pred_len", type=int, default=6)
    p.add_argument("--no_decoder_mask", dest="decoder_mask", action="store_false")
    return p.parse_args(argv)


class Seq2SeqForecaster(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.enc_in = nn.Linear(args.enc_in, args.d_model)
        self.dec_in = nn.Linear(args.enc_in, args.d_model)
        self.pos = nn.Parameter(torch.randn(64, args.d_model) * 0.02)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(args.d_model, args.n_heads, 4 * args.d_model, 0.0, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(args.d_model, args.n_heads, 4 * args.d_model, 0.0, batch_first=True), 1)
        self.projection = nn.Linear(args.d_model, args.enc_in)

    def forward(self, x_enc, x_dec):
        memory = self.encoder(self.enc_in(x_enc) + self.pos[: x_enc.size(1)])
        T = x_dec.size(1)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(T) if self.args.decoder_mask else None
        out = self.decoder(self.dec_in(x_dec) + self.pos[:T], memory, tgt_mask=tgt_mask, tgt_is_causal=self.args.decoder_mask)
        return self.projection(out)[:, -self.args.pred_len:]


def make_decoder_input(x_enc, y_true, args):
    start = x_enc[:, -args.label_len:]
    shifted = torch.cat([x_enc[:, -1:], y_true[:, :-1]], dim=1)
    return torch.cat([start, shifted], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    args = get_args([])
    model = Seq2SeqForecaster(args)
    x_enc = torch.randn(4, args.seq_len, args.enc_in)
    y = torch.randn(4, args.pred_len, args.enc_in)
    for mode in ("train", "eval"):
        getattr(model, mode)()
        with torch.no_grad():
            a = model(x_enc, make_decoder_input(x_enc, y, args))
            y2 = y.clone()
            y2[:, 4] += 5.0
            b = model(x_enc, make_decoder_input(x_enc, y2, args))
        assert (a[:, :5] - b[:, :5]).abs().max() < 1e-5, "future ground truth leaked"
        assert not torch.isnan(a).any()
        print(mode, "ok: causal teacher forcing")
