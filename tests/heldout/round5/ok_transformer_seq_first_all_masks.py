"""fairseq-style (T, B) tensors fed to a seq-first nn.Transformer; padding masks are transposed
to (B, T) as the API expects."""
import torch
import torch.nn as nn

PAD = 1


class Seq2Seq(nn.Module):
    def __init__(self, vocab=500, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.t = nn.Transformer(d, 4, 2, 2, 128, 0.0)
        self.out = nn.Linear(d, vocab)

    def forward(self, src_tokens, prev_output_tokens):  # (S, B), (T, B)
        src_pad = src_tokens.eq(PAD).transpose(0, 1)
        tgt_pad = prev_output_tokens.eq(PAD).t()
        tgt_mask = self.t.generate_square_subsequent_mask(prev_output_tokens.size(0))
        y = self.t(
            self.emb(src_tokens), self.emb(prev_output_tokens),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad.float().masked_fill(src_pad, float("-inf")),
            tgt_key_padding_mask=tgt_pad.float().masked_fill(tgt_pad, float("-inf")),
            memory_key_padding_mask=src_pad.float().masked_fill(src_pad, float("-inf")),
        )
        return self.out(y)


if __name__ == "__main__":
    m = Seq2Seq()
    src = torch.randint(2, 500, (11, 3)); src[7:, 2] = PAD
    tgt = torch.randint(2, 500, (6, 3))
    print(m(src, tgt).shape)
