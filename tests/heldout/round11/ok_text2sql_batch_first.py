"""Text-to-SQL generator on nn.Transformer (batch-first), teacher-forced training step."""
import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


def make_masks(question, sql_in):
    src_pad = question == PAD
    tgt_pad = sql_in == PAD
    n = sql_in.shape[-1]
    causal = nn.Transformer.generate_square_subsequent_mask(n, device=sql_in.device, dtype=torch.bool)
    return src_pad, tgt_pad, causal


class Text2SQL(nn.Module):
    def __init__(self, q_vocab=12000, s_vocab=3000, d=256, heads=8, layers=3):
        super().__init__()
        self.q_emb = nn.Embedding(q_vocab, d, padding_idx=PAD)
        self.s_emb = nn.Embedding(s_vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(256, d)
        self.net = nn.Transformer(d, heads, layers, layers, 4 * d, 0.1, batch_first=True)
        self.out = nn.Linear(d, s_vocab)

    def embed(self, table, ids):
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, question, sql_in):
        src_pad, tgt_pad, causal = make_masks(question, sql_in)
        h = self.net(self.embed(self.q_emb, question), self.embed(self.s_emb, sql_in),
                     tgt_mask=causal, src_key_padding_mask=src_pad,
                     tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad,
                     tgt_is_causal=True)
        return self.out(h)


if __name__ == "__main__":
    question = torch.randint(3, 12000, (4, 30))
    question[1, 20:] = PAD
    question[3, 12:] = PAD
    sql = torch.randint(3, 3000, (4, 25))
    sql[:, 0] = BOS
    sql[2, 15:] = PAD
    model = Text2SQL()
    logits = model(question, sql[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), sql[:, 1:], ignore_index=PAD)
    loss.backward()
    print(logits.shape, loss.item())
