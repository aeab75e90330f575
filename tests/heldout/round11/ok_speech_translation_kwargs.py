"""Speech-to-text translation decoder; mask arguments are assembled once and splatted into the decoder."""
import torch
import torch.nn as nn


class STDecoder(nn.Module):
    def __init__(self, vocab=8000, d=256, heads=4, layers=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(512, d)
        layer = nn.TransformerDecoderLayer(d, heads, 4 * d, 0.1, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d, vocab)

    @staticmethod
    def decoder_masks(prev_tokens, enc_frames_pad):
        n = prev_tokens.size(1)
        return {
            "tgt_mask": torch.triu(torch.full((n, n), float("-inf")), 1),
            "tgt_key_padding_mask": torch.zeros(prev_tokens.shape).masked_fill(prev_tokens == 0, float("-inf")),
            "memory_key_padding_mask": torch.zeros(enc_frames_pad.shape).masked_fill(enc_frames_pad, float("-inf")),
            "tgt_is_causal": True,
        }

    def forward(self, prev_tokens, enc_out, enc_frames_pad):
        x = self.emb(prev_tokens) + self.pos(torch.arange(prev_tokens.size(1)))
        kwargs = self.decoder_masks(prev_tokens, enc_frames_pad)
        return self.out(self.decoder(x, enc_out, **kwargs))


if __name__ == "__main__":
    enc_out = torch.randn(2, 150, 256)
    enc_pad = torch.arange(150)[None] >= torch.tensor([150, 90])[:, None]
    prev = torch.randint(1, 8000, (2, 20))
    prev[1, 14:] = 0
    dec = STDecoder()
    logits = dec(prev, enc_out, enc_pad)
    print(logits.shape)
    dec.eval()
    with torch.no_grad():
        print(torch.isfinite(dec(prev, enc_out, enc_pad)[0]).all().item())
