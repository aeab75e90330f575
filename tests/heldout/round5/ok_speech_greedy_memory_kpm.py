"""Attention ASR decoder whose batched greedy search keeps masking the encoder padding."""
import torch
import torch.nn as nn

SOS, EOS = 1, 2


class ASRDecoder(nn.Module):
    def __init__(self, vocab=100, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 128, batch_first=True), layers)
        self.out = nn.Linear(d, vocab)

    def step(self, ys, enc_out, enc_pad):
        causal = torch.ones(ys.size(1), ys.size(1), dtype=torch.bool).triu(1)
        return self.dec(self.emb(ys), enc_out, tgt_mask=causal, memory_key_padding_mask=enc_pad)

    @torch.no_grad()
    def greedy_search(self, enc_out, enc_lens, max_len=10):
        enc_pad = torch.arange(enc_out.size(1))[None, :] >= enc_lens[:, None]
        ys = torch.full((enc_out.size(0), 1), SOS, dtype=torch.long)
        for _ in range(max_len):
            nxt = self.out(self.step(ys, enc_out, enc_pad)[:, -1]).argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], 1)
            if (nxt == EOS).all():
                break
        return ys


if __name__ == "__main__":
    print(ASRDecoder().eval().greedy_search(torch.randn(3, 40, 64), torch.tensor([40, 22, 9]), 4).shape)
