"""Cryptic-crossword clue writer: answer word in, clue (word pieces) out.

Answers and clues are padded to fixed widths so batches can be cached; the
trainer runs fixed-size batches of 8 and drops the remainder.
"""
import torch
import torch.nn.functional as F
from torch import nn

LETTERS = "_abcdefghijklmnopqrstuvwxyz"          # "_" = pad
CLUE_WORDS = ["<pad>", "<s>", "</s>", "odd", "parts", "of", "broken", "vase", "returned", "heard", "say",
              "initially", "confused", "drunk", "about", "hidden", "in", "queen", "river", "small"]
ANSWER_LEN, CLUE_LEN, BATCH = 10, 8, 8


def encode_answer(word):
    ids = [LETTERS.index(c) for c in word.lower()][:ANSWER_LEN]
    return ids + [0] * (ANSWER_LEN - len(ids))


class ClueWriter(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2):
        super().__init__()
        self.letters = nn.Embedding(len(LETTERS), dim, padding_idx=0)
        self.words = nn.Embedding(len(CLUE_WORDS), dim, padding_idx=0)
        self.pos = nn.Embedding(32, dim)
        self.core = nn.Transformer(dim, heads, layers, layers, 2 * dim, dropout=0.1, batch_first=True)
        self.vocab_out = nn.Linear(dim, len(CLUE_WORDS))

    def forward(self, answer, clue_in):
        src = self.letters(answer) + self.pos(torch.arange(answer.size(1)))
        tgt = self.words(clue_in) + self.pos(torch.arange(clue_in.size(1)))
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(clue_in.size(0))  # expect: ML303
        h = self.core(src, tgt, tgt_mask=tgt_mask,
                      src_key_padding_mask=answer == 0, memory_key_padding_mask=answer == 0)
        return self.vocab_out(h)

    @torch.no_grad()
    def write(self, word, max_words=6):
        answer = torch.tensor([encode_answer(word)])
        clue = torch.tensor([[1]])
        for _ in range(max_words):
            nxt = self(answer, clue)[:, -1].argmax(-1, keepdim=True)
            clue = torch.cat([clue, nxt], 1)
            if nxt.item() == 2:
                break
        return " ".join(CLUE_WORDS[i] for i in clue[0, 1:].tolist())


if __name__ == "__main__":
    torch.manual_seed(0)
    answers = torch.tensor([encode_answer(w) for w in
                            ["seaside", "vase", "ember", "idle", "lemon", "rover", "tango", "nile", "ocean", "arrow"]])
    clues = torch.randint(3, len(CLUE_WORDS), (len(answers), CLUE_LEN + 1))
    clues[:, 0], clues[:, -1] = 1, 2
    model = ClueWriter()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for start in range(0, len(answers) - BATCH + 1, BATCH):           # drop_last
        a, c = answers[start:start + BATCH], clues[start:start + BATCH]
        logits = model(a, c[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), c[:, 1:].flatten(), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("batch loss", round(loss.item(), 4))
    model.eval()
    try:
        print("clue for 'oasis':", model.write("oasis"))
    except (RuntimeError, AssertionError) as err:
        print("sampling failed:", err)
