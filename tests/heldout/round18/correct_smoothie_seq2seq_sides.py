"""Smoothie-bar recipe writer: ingredient list -> blending steps.

Source and target are padded to the fixed length from the config (the bar's
point-of-sale tablet caches fixed-shape arrays). The decoder is run separately
so the encoded ingredients can be reused by beam search.
"""
import dataclasses

import torch
import torch.nn as nn

PAD = 0


@dataclasses.dataclass(frozen=True)
class BlendConfig:
    n_ingredient_tokens: int = 300
    n_step_tokens: int = 200
    max_len: int = 20
    d_model: int = 48
    nhead: int = 4
    layers: int = 2


def pad_to(seqs, length):
    out = torch.full((len(seqs), length), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : min(len(s), length)] = torch.as_tensor(s[:length])
    return out


class StepWriter(nn.Module):
    def __init__(self, cfg: BlendConfig):
        super().__init__()
        self.src_emb = nn.Embedding(cfg.n_ingredient_tokens, cfg.d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(cfg.n_step_tokens, cfg.d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(cfg.max_len, cfg.d_model))
        self.transformer = nn.Transformer(cfg.d_model, cfg.nhead, cfg.layers, cfg.layers, 2 * cfg.d_model,
                                          dropout=0.1, batch_first=True)
        self.lm = nn.Linear(cfg.d_model, cfg.n_step_tokens)

    def encode(self, ingredients):
        ingredient_pad = ingredients == PAD
        memory = self.transformer.encoder(self.src_emb(ingredients) + self.pos, src_key_padding_mask=ingredient_pad)
        return memory, ingredient_pad

    def decode(self, steps_in, memory, ingredient_pad):
        step_pad = steps_in == PAD
        causal = self.transformer.generate_square_subsequent_mask(steps_in.size(1))
        tgt = self.tgt_emb(steps_in) + self.pos[: steps_in.size(1)]
        out = self.transformer.decoder(tgt, memory, tgt_mask=causal, tgt_key_padding_mask=step_pad,
                                       memory_key_padding_mask=ingredient_pad)
        return self.lm(out)

    def forward(self, ingredients, steps_in):
        memory, ingredient_pad = self.encode(ingredients)
        return self.decode(steps_in, memory, ingredient_pad)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = BlendConfig()
    ingredients = pad_to([[5, 17, 9], [8, 3, 41, 12, 19, 7]], cfg.max_len)
    steps = pad_to([[1, 40, 51, 60, 77, 2], [1, 44, 45, 46, 47, 48, 49, 2]], cfg.max_len)
    model = StepWriter(cfg)
    logits = model(ingredients, steps)
    loss = nn.functional.cross_entropy(logits[:, :-1].transpose(1, 2), steps[:, 1:], ignore_index=PAD)
    loss.backward()
    print(float(loss))
