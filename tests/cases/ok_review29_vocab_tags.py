"""BiLSTM-free NER tagger: token ids come from a HF tokenizer (pad id 0), tags from TAGS."""
import torch
import torch.nn as nn

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "<pad>"]
TAG2ID = {t: i for i, t in enumerate(TAGS)}


class Tagger(nn.Module):
    def __init__(self, vocab_size=30522, d=128):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.out = nn.Linear(d, len(TAGS))

    def forward(self, ids):
        pad = ids.eq(0)
        h = self.emb(ids)
        h = self.attn(h, h, h, key_padding_mask=pad)[0]
        return self.out(h)
