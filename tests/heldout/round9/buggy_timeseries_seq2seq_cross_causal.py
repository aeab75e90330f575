"""Encoder-decoder forecaster (vanilla Transformer baseline for ETT-style data).
Encoder sees `seq_len` past steps, decoder gets label_len known steps + pred_len zeros."""
import torch
import torch.nn as nn


class Seq2SeqForecaster(nn.Module):
    def __init__(self, n_vars=4, d=32, heads=4, seq_len=12, label_len=6, pred_len=6):
        super().__init__()
        self.pred_len = pred_len
        self.enc_in = nn.Linear(n_vars, d)
        self.dec_in = nn.Linear(n_vars, d)
        self.pos = nn.Parameter(torch.randn(1, seq_len, d) * 0.02)
        self.tf = nn.Transformer(d, heads, 1, 1, 64, dropout=0.0, batch_first=True)
        self.proj = nn.Linear(d, n_vars)

    def forward(self, past, dec_known):
        B, _, V = past.shape
        dec_x = torch.cat([dec_known, past.new_zeros(B, self.pred_len, V)], 1)
        T = dec_x.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        h = self.tf(self.enc_in(past) + self.pos, self.dec_in(dec_x) + self.pos[:, :T],
                    tgt_mask=causal,
                    memory_mask=causal)  # expect: ML503
        return self.proj(h[:, -self.pred_len:])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqForecaster()
    past = torch.randn(2, 12, 4)
    known = past[:, -6:]
    a = model(past, known)

    def scramble_recent(mod, inp, out):        # replace the 5 most recent encoder states
        out = out.clone()
        out[:, 7:] = torch.randn_like(out[:, 7:]) * 5
        return out

    hook = model.tf.encoder.register_forward_hook(scramble_recent)
    b = model(past, known)
    hook.remove()
    print("FAILURE SHOWN: first forecast step is blind to the most recent encoder states, diff",
          f"{(a[:, 0] - b[:, 0]).abs().max().item():.3g}")
