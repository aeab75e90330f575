"""Text-to-SQL seq2seq: question tokens -> SQL tokens with nn.Transformer (batch_first)."""
import torch
import torch.nn as nn

PAD = 0


def make_masks(question, sql_in):
    q_pad = question == PAD
    s_pad = sql_in == PAD
    causal = nn.Transformer.generate_square_subsequent_mask(sql_in.size(1), dtype=torch.bool)
    return {"q_pad": q_pad, "s_pad": s_pad, "causal": causal}


class Text2SQL(nn.Module):
    def __init__(self, vocab=4000, d=128):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.core = nn.Transformer(d, 4, 2, 2, 512, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def forward(self, question, sql_in, masks):
        y = self.core(
            self.emb(question),
            self.emb(sql_in),
            tgt_mask=masks["causal"],
            src_key_padding_mask=masks["q_pad"],
            tgt_key_padding_mask=masks["s_pad"],
            memory_key_padding_mask=masks["s_pad"],  # expect: ML503
        )
        return self.out(y)


if __name__ == "__main__":
    m = Text2SQL()
    q = torch.randint(1, 4000, (2, 14))
    q[0, 10:] = PAD
    s = torch.randint(1, 4000, (2, 9))
    try:
        print(m(q, s, make_masks(q, s)).shape)
    except (RuntimeError, AssertionError) as e:
        print("error:", str(e)[:90])
