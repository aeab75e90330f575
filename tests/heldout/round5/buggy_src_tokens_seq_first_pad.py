"""Seq2seq grammar correction with fairseq-style (T, B) token tensors."""
import torch
import torch.nn as nn

PAD, BOS = 1, 0


class GECModel(nn.Module):
    def __init__(self, vocab=8000, d=256):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.transformer = nn.Transformer(d, 8, 3, 3, 1024, 0.1)
        self.proj = nn.Linear(d, vocab)

    def forward(self, src_tokens, prev_output_tokens):
        # src_tokens: (S, B), prev_output_tokens: (T, B)
        src_pad = src_tokens.eq(PAD)
        tgt_pad = prev_output_tokens.eq(PAD).t()
        T = prev_output_tokens.size(0)
        out = self.transformer(
            self.emb(src_tokens),
            self.emb(prev_output_tokens),
            tgt_mask=self.transformer.generate_square_subsequent_mask(T),
            src_key_padding_mask=src_pad,  # expect: ML304
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad.t(),
        )
        return self.proj(out)


if __name__ == "__main__":
    m = GECModel()
    src = torch.randint(2, 8000, (11, 4))
    src[8:, 1] = PAD
    tgt = torch.randint(2, 8000, (9, 4))
    try:
        print(m(src, tgt).shape)
    except (RuntimeError, AssertionError) as e:
        print("error:", str(e)[:80])
