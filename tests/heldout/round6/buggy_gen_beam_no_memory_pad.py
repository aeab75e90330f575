"""Batched beam search for an encoder-decoder; the encoder masks padded source frames."""
import torch
import torch.nn as nn


class S2S(nn.Module):
    def __init__(self, vocab=24, d=32, nhead=4):
        super().__init__()
        self.src_proj = nn.Linear(16, d)
        self.emb = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 2,
                                             enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True), 2)
        self.out = nn.Linear(d, vocab)

    def encode(self, feats, feat_lens):
        pad = torch.arange(feats.size(1), device=feats.device)[None] >= feat_lens[:, None]
        return self.encoder(self.src_proj(feats), src_key_padding_mask=pad), pad

    def decode_step(self, ys, memory):
        T = ys.size(1)
        causal = torch.ones(T, T, dtype=torch.bool, device=ys.device).triu(1)
        h = self.decoder(  # expect: ML502
            self.emb(ys), memory,
            tgt_mask=causal,
        )
        return self.out(h[:, -1]).log_softmax(-1)


@torch.no_grad()
def beam_search(model, feats, feat_lens, beam=2, bos=1, max_len=4):
    memory, _ = model.encode(feats, feat_lens)
    N = feats.size(0)
    memory = memory.repeat_interleave(beam, 0)
    ys = torch.full((N * beam, 1), bos, dtype=torch.long)
    scores = torch.tensor([0.0] + [float("-inf")] * (beam - 1)).repeat(N)
    for _ in range(max_len):
        logp = model.decode_step(ys, memory)
        V = logp.size(-1)
        flat = (scores[:, None] + logp).view(N, -1)
        top, idx = flat.topk(beam, -1)
        base = (torch.arange(N)[:, None] * beam + idx // V).view(-1)
        ys = torch.cat([ys[base], (idx % V).view(-1, 1)], 1)
        scores = top.view(-1)
    return ys.view(N, beam, -1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = S2S().eval()
    feats = torch.randn(2, 6, 16)
    feats[1, 3:] = 100.0  # junk in the padded frames of sample 1
    print(beam_search(m, feats, torch.tensor([6, 3]))[1, 0])
