"""Cocktail method generator: ingredient list -> preparation steps.

Both sides are token sequences padded to the fixed lengths from the config so
that batches can be bucketed and cached on disk as fixed-shape arrays.
"""
import dataclasses

import torch
import torch.nn as nn

PAD = 0


@dataclasses.dataclass(frozen=True)
class BarConfig:
    n_ingredient_tokens: int = 400   # "gin", "30ml", "dash", ...
    n_step_tokens: int = 300         # "shake", "strain", "over", "ice", ...
    max_len: int = 24
    d_model: int = 48
    nhead: int = 4
    layers: int = 2


def pad_to(seqs, length):
    out = torch.full((len(seqs), length), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        s = s[:length]
        out[i, : len(s)] = torch.as_tensor(s)
    return out


class MethodWriter(nn.Module):
    def __init__(self, cfg: BarConfig):
        super().__init__()
        self.cfg = cfg
        self.src_emb = nn.Embedding(cfg.n_ingredient_tokens, cfg.d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(cfg.n_step_tokens, cfg.d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(cfg.max_len, cfg.d_model))
        self.transformer = nn.Transformer(cfg.d_model, cfg.nhead, cfg.layers, cfg.layers, 2 * cfg.d_model,
                                          dropout=0.1, batch_first=True)
        self.lm = nn.Linear(cfg.d_model, cfg.n_step_tokens)

    def forward(self, ingredients, steps_in):
        src_pad = ingredients == PAD
        tgt_pad = steps_in == PAD
        causal = self.transformer.generate_square_subsequent_mask(steps_in.size(1))
        src = self.src_emb(ingredients) + self.pos
        tgt = self.tgt_emb(steps_in) + self.pos
        out = self.transformer(
            src, tgt,
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.lm(out)


class MethodWriterWithCopy(MethodWriter):
    """Variant used in production: decoder run separately so cached memory can be reused for beam search."""

    def forward(self, ingredients, steps_in):
        src_pad = ingredients == PAD
        tgt_pad = steps_in == PAD
        memory = self.transformer.encoder(self.src_emb(ingredients) + self.pos, src_key_padding_mask=src_pad)
        causal = self.transformer.generate_square_subsequent_mask(steps_in.size(1))
        tgt = self.tgt_emb(steps_in) + self.pos
        out = self.transformer.decoder(tgt, memory, tgt_mask=causal, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=tgt_pad)  # BUG: step-side padding mask given as memory padding mask
        return self.lm(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = BarConfig()
    ingredients = pad_to([[5, 17, 9, 33, 2], [8, 3, 3, 41, 12, 19, 7, 22]], cfg.max_len)
    steps = pad_to([[1, 40, 51, 60, 77, 90, 91, 2], [1, 44, 2]], cfg.max_len)
    for cls in (MethodWriter, MethodWriterWithCopy):
        model = cls(cfg)
        logits = model(ingredients, steps)
        loss = nn.functional.cross_entropy(logits[:, :-1].transpose(1, 2), steps[:, 1:], ignore_index=PAD)
        print(cls.__name__, float(loss))
