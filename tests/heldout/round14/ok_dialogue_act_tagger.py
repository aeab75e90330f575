"""Hierarchical dialogue-act tagger: a word-level encoder pools each utterance, then a
turn-level attention layer contextualises utterances across the conversation. Conversations
have different numbers of turns and utterances different numbers of words."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0
ACTS = ["statement", "question", "backchannel", "agree", "opinion", "other"]


def turn_lengths_to_keep(n_turns: torch.Tensor, max_turns: int) -> torch.Tensor:
    return torch.arange(max_turns, device=n_turns.device)[None, :] < n_turns[:, None]


class UtteranceEncoder(nn.Module):
    def __init__(self, vocab: int, dim: int, heads: int):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(64, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, words: torch.Tensor) -> torch.Tensor:
        keep = words.ne(PAD)
        keep[:, 0] = True  # empty utterances (silence) still get one slot
        x = self.emb(words) + self.pos(torch.arange(words.size(1), device=words.device))
        h, _ = self.attn(x, x, x, key_padding_mask=~keep, need_weights=False)
        h = self.norm(x + h)
        w = keep.unsqueeze(-1).float()
        return (h * w).sum(1) / w.sum(1)


class ConversationTagger(nn.Module):
    def __init__(self, vocab: int = 3000, dim: int = 64, heads: int = 4):
        super().__init__()
        self.utt = UtteranceEncoder(vocab, dim, heads)
        self.speaker = nn.Embedding(2, dim)
        self.turn_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.turn_norm = nn.LayerNorm(dim)
        self.classify = nn.Linear(dim, len(ACTS))

    def forward(self, words: torch.Tensor, speakers: torch.Tensor, n_turns: torch.Tensor) -> torch.Tensor:
        """words: (B, T, W) word ids, speakers: (B, T), n_turns: (B,) -> (B, T, n_acts)."""
        b, t, w = words.shape
        utt = self.utt(words.view(b * t, w)).view(b, t, -1) + self.speaker(speakers)
        turn_keep = turn_lengths_to_keep(n_turns, t)
        ctx, _ = self.turn_attn(utt, utt, utt, key_padding_mask=turn_keep.logical_not(), need_weights=False)
        return self.classify(self.turn_norm(utt + ctx))


def pad_conversations(convs: List[List[List[int]]], max_words: int = 12):
    t = max(map(len, convs))
    words = torch.zeros(len(convs), t, max_words, dtype=torch.long)
    for i, conv in enumerate(convs):
        for j, utt in enumerate(conv):
            words[i, j, : len(utt[:max_words])] = torch.tensor(utt[:max_words])
    speakers = (torch.arange(t) % 2).expand(len(convs), t)
    return words, speakers, torch.tensor([len(c) for c in convs])


if __name__ == "__main__":
    torch.manual_seed(0)
    convs = [[[12, 55, 9], [40, 2], [7], [300, 12, 8, 9]], [[5, 6, 7, 8], [99]]]
    words, speakers, n_turns = pad_conversations(convs)
    labels = torch.tensor([[0, 1, 2, 3], [0, 2, -100, -100]])
    model = ConversationTagger()
    logits = model(words, speakers, n_turns)
    loss = F.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100)
    loss.backward()
    print("tagging loss", round(loss.item(), 4))
