import argparse
from functools import partial

import torch
import torch.nn as nn


def make_padding_mask(max_len, wav_lens):
    abs_len = torch.round(wav_lens * max_len).long()
    return torch.arange(max_len, device=wav_lens.device)[None, :] >= abs_len[:, None]


class TransformerASR(nn.Module):
    def __init__(self, vocab=40, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.feat_proj = nn.Linear(80, d_model)
        self.embed = nn.Embedding(vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 128, batch_first=True), num_layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 128, batch_first=True), num_layers)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, feats, wav_lens):
        pad = make_padding_mask(feats.size(1), wav_lens)
        return self.encoder(self.feat_proj(feats), src_key_padding_mask=pad)

    def decode(self, tgt, encoder_out, enc_len=None):
        causal = torch.triu(torch.ones(tgt.size(1), tgt.size(1), dtype=torch.bool, device=tgt.device), 1)
        h = self.decoder(self.embed(tgt), encoder_out, tgt_mask=causal)  # BUG
        return self.out(h).log_softmax(-1)


@torch.no_grad()
def beam_search(step_fn, encoder_out, bos, eos, beam_size=3, max_len=10):
    batch = encoder_out.size(0)
    memory = encoder_out.repeat_interleave(beam_size, dim=0)
    hyps = torch.full((batch * beam_size, 1), bos, dtype=torch.long)
    scores = torch.zeros(batch, beam_size)
    scores[:, 1:] = float("-inf")
    for _ in range(max_len):
        logp = step_fn(hyps, memory)[:, -1]
        cand = (scores.view(-1, 1) + logp).view(batch, -1)
        scores, idx = cand.topk(beam_size, dim=-1)
        origin = (idx // logp.size(-1)) + torch.arange(batch)[:, None] * beam_size
        hyps = torch.cat([hyps[origin.view(-1)], (idx % logp.size(-1)).view(-1, 1)], dim=1)
    return hyps.view(batch, beam_size, -1)[:, 0], scores[:, 0]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--beam-size", type=int, default=3)
    parser.add_argument("--batch", type=int, default=4)
    args = parser.parse_args()

    torch.manual_seed(0)
    model = TransformerASR().eval()
    feats = torch.randn(args.batch, 50, 80)
    wav_lens = torch.tensor([1.0, 0.6, 0.8, 0.4])[: args.batch]
    with torch.no_grad():
        enc = model.encode(feats, wav_lens)
    step = partial(model.decode, enc_len=wav_lens)  # BUG
    hyps, scores = beam_search(step, enc, bos=1, eos=2, beam_size=args.beam_size)
    for h, s in zip(hyps.tolist(), scores.tolist()):
        print(f"{s:8.2f}  {h}")
