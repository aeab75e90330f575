"""OCR decoder built from a single nn.TransformerDecoderLayer with every mask supplied."""
import torch
import torch.nn as nn

PAD = 0


class OCRDecoder(nn.Module):
    def __init__(self, vocab=100, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.layer = nn.TransformerDecoderLayer(d, 4, 128, 0.1, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def forward(self, chars, visual, visual_pad):
        T = chars.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.bool)
        h = self.layer(
            self.emb(chars),
            visual,
            tgt_mask=causal,
            tgt_key_padding_mask=chars.eq(PAD),
            memory_key_padding_mask=visual_pad,
            tgt_is_causal=True,
        )
        return self.out(h)


if __name__ == "__main__":
    m = OCRDecoder()
    chars = torch.randint(1, 100, (2, 6)); chars[1, 4:] = PAD
    vis_pad = torch.zeros(2, 20, dtype=torch.bool); vis_pad[0, 15:] = True
    print(m(chars, torch.randn(2, 20, 64), vis_pad).shape)
