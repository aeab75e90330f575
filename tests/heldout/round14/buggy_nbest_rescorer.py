"""Second-pass rescoring of ASR n-best lists with a Transformer LM.

The LM checkpoint is trained elsewhere; this module only scores hypotheses, so it is always
run in eval mode under inference_mode. Final score = am_score + lm_weight * lm_logprob +
length_bonus * n_words."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence

import torch
from torch import nn

BOS, EOS, PAD = 1, 2, 0


@dataclass
class Hypothesis:
    words: List[str]
    am_score: float


class WordVocab:
    def __init__(self, words: Sequence[str]):
        self.index: Dict[str, int] = {w: i + 3 for i, w in enumerate(sorted(set(words)))}

    def __len__(self) -> int:
        return len(self.index) + 3

    def encode(self, words: Sequence[str]) -> List[int]:
        return [BOS] + [self.index[w] for w in words] + [EOS]


class RescoringLM(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 64, nhead: int = 4, layers: int = 3, max_len: int = 128):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        block = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.layers = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.proj = nn.Linear(d_model, vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        h = self.layers(x, src_key_padding_mask=ids.eq(PAD), is_causal=True)  # expect: ML402
        return self.proj(h).log_softmax(-1)

    def sentence_logprob(self, ids: torch.Tensor) -> torch.Tensor:
        logp = self(ids[:, :-1]).gather(-1, ids[:, 1:, None]).squeeze(-1)
        return (logp * ids[:, 1:].ne(PAD)).sum(-1)


class NBestRescorer:
    def __init__(self, lm: RescoringLM, vocab: WordVocab, lm_weight: float = 0.5, length_bonus: float = 0.2):
        self.lm, self.vocab = lm.eval(), vocab
        self.lm_weight, self.length_bonus = lm_weight, length_bonus

    def _batch(self, hyps: Sequence[Hypothesis]) -> torch.Tensor:
        rows = [self.vocab.encode(h.words) for h in hyps]
        width = max(map(len, rows))
        return torch.tensor([r + [PAD] * (width - len(r)) for r in rows])

    @torch.inference_mode()
    def rescore(self, hyps: Sequence[Hypothesis]) -> List[tuple[float, Hypothesis]]:
        lm_scores = self.lm.sentence_logprob(self._batch(hyps))
        total = [h.am_score + self.lm_weight * s.item() + self.length_bonus * len(h.words)
                 for h, s in zip(hyps, lm_scores)]
        return sorted(zip(total, hyps), key=lambda p: p[0], reverse=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    nbest = [
        Hypothesis("recognize speech with a language model".split(), -12.1),
        Hypothesis("wreck a nice beach with a language model".split(), -11.8),
        Hypothesis("recognise speech with the language model".split(), -12.5),
    ]
    vocab = WordVocab([w for h in nbest for w in h.words])
    rescorer = NBestRescorer(RescoringLM(len(vocab)), vocab)
    for score, hyp in rescorer.rescore(nbest):
        print(f"{score:8.3f}  {' '.join(hyp.words)}")
