"""Attention-based ASR decoder: training uses forward(), inference uses batched greedy/beam search."""
import torch
import torch.nn as nn

SOS, EOS = 1, 2


class ASRDecoder(nn.Module):
    def __init__(self, vocab=1000, d=256, heads=4, layers=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 1024, batch_first=True), layers)
        self.out = nn.Linear(d, vocab)
        self._causal = {}

    def causal(self, n, device):
        key = (n, device)
        if key not in self._causal:
            self._causal[key] = torch.ones(n, n, dtype=torch.bool, device=device).triu(1)
        return self._causal[key]

    def forward(self, tokens, enc_out, enc_pad):
        T = tokens.size(1)
        h = self.dec(self.emb(tokens), enc_out, tgt_mask=self.causal(T, tokens.device),
                     memory_key_padding_mask=enc_pad)
        return self.out(h)

    @torch.no_grad()
    def greedy_search(self, enc_out, enc_lens, max_len=30):
        B = enc_out.size(0)
        ys = torch.full((B, 1), SOS, dtype=torch.long, device=enc_out.device)
        done = torch.zeros(B, dtype=torch.bool)
        for _ in range(max_len):
            T = ys.size(1)
            h = self.dec(  # expect: ML502
                self.emb(ys), enc_out,
                tgt_mask=self.causal(T, ys.device),
            )
            nxt = self.out(h[:, -1]).argmax(-1)
            nxt = nxt.masked_fill(done, EOS)
            ys = torch.cat([ys, nxt[:, None]], 1)
            done |= nxt == EOS
            if done.all():
                break
        return ys


if __name__ == "__main__":
    dec = ASRDecoder().eval()
    enc_out = torch.randn(3, 50, 256)
    enc_lens = torch.tensor([50, 31, 12])
    print(dec.greedy_search(enc_out, enc_lens, max_len=5).shape)
