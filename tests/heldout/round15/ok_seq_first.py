"""Text-to-SQL seq2seq in the time-major layout (batch_first=False)."""
import torch
from torch import nn

PAD, BOS, EOS = 0, 1, 2


class TimeMajorSeq2Seq(nn.Module):
    def __init__(self, src_vocab=200, tgt_vocab=120, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(128, 1, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 128, 0.0)
        self.out = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        """src: (S, B), tgt: (T, B) token ids."""
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0), dtype=torch.bool)
        src_pad = src.eq(PAD).transpose(0, 1)
        tgt_pad = tgt.eq(PAD).t()
        h = self.transformer(
            self.src_emb(src) + self.pos[: src.size(0)],
            self.tgt_emb(tgt) + self.pos[: tgt.size(0)],
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.out(h)  # (T, B, V)


if __name__ == "__main__":
    torch.manual_seed(0)
    src = torch.tensor([[5, 9], [17, 3], [44, 0], [8, 0], [2, 0]])  # (S=5, B=2)
    tgt = torch.tensor([[BOS, BOS], [30, 12], [31, 13], [0, 14]])    # (T=4, B=2)
    model = TimeMajorSeq2Seq()
    print("train", model(src, tgt).shape)
    with torch.no_grad():
        print("eval ", model.eval()(src, tgt).argmax(-1).tolist())
