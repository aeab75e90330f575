"""Code-to-docstring summarizer: encoder over code tokens, decoder over docstring tokens."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn

PAD = 0


@dataclass
class Seq2SeqBatch:
    code: torch.Tensor
    doc: torch.Tensor
    extras: dict = field(default_factory=dict)

    @property
    def code_pad(self):
        return self.code.eq(PAD)

    @property
    def doc_pad(self):
        return self.doc[:, :-1].eq(PAD)


class Summarizer(nn.Module):
    def __init__(self, code_vocab=8000, doc_vocab=6000, d=256, heads=8):
        super().__init__()
        self.code_emb = nn.Embedding(code_vocab, d, padding_idx=PAD)
        self.doc_emb = nn.Embedding(doc_vocab, d, padding_idx=PAD)
        self.transformer = nn.Transformer(d, heads, 3, 3, 4 * d, 0.1, batch_first=True)
        self.generator = nn.Linear(d, doc_vocab)

    def forward(self, batch: Seq2SeqBatch):
        doc_in = batch.doc[:, :-1]
        causal = self.transformer.generate_square_subsequent_mask(doc_in.size(1), dtype=torch.bool)
        hidden = self.transformer(  # expect: ML502
            self.code_emb(batch.code), self.doc_emb(doc_in),
            tgt_mask=causal,
            src_key_padding_mask=batch.code_pad,
            tgt_key_padding_mask=batch.doc_pad,
        )
        return self.generator(hidden)


if __name__ == "__main__":
    code = torch.randint(1, 8000, (4, 60))
    code[0, 30:] = PAD
    code[2, 45:] = PAD
    doc = torch.randint(1, 6000, (4, 16))
    doc[1, 9:] = PAD
    b = Seq2SeqBatch(code, doc)
    logits = Summarizer()(b)
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), doc[:, 1:], ignore_index=PAD)
    print(logits.shape, loss.item())
