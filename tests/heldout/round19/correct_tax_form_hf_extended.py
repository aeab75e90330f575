"""Field classifier for scanned tax forms: each OCR token is labelled (box number, amount, TIN, name...).
Hugging Face style: tokenizer attention_mask -> extended additive mask inside the model."""
import math

import torch
import torch.nn as nn

FIELD_LABELS = ["O", "B-BOX", "B-AMOUNT", "I-AMOUNT", "B-TIN", "B-NAME", "I-NAME", "B-YEAR"]


class FormAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.dh = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.dense = nn.Linear(hidden, hidden)

    def forward(self, hidden_states, attention_mask):
        b, t, h = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        attn_scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh) + attention_mask
        probs = attn_scores.softmax(-1)
        return self.dense((probs @ v).transpose(1, 2).reshape(b, t, h))


class TaxFormTagger(nn.Module):
    def __init__(self, vocab_size=5000, hidden=64, heads=4, layers=2, max_pos=256):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, hidden)
        self.bbox = nn.Linear(4, hidden)  # normalised x0, y0, x1, y1 of the OCR box
        self.pos = nn.Embedding(max_pos, hidden)
        self.attn = nn.ModuleList(FormAttention(hidden, heads) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.classifier = nn.Linear(hidden, len(FIELD_LABELS))

    @staticmethod
    def extended_mask(attention_mask, dtype):
        ext = attention_mask[:, None, None, :].to(dtype=dtype)
        return (1.0 - ext) * torch.finfo(dtype).min

    def forward(self, input_ids, bbox, attention_mask):
        x = self.tok(input_ids) + self.bbox(bbox) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        ext = self.extended_mask(attention_mask, x.dtype)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, ext))
        return self.classifier(x)


if __name__ == "__main__":
    ids = torch.tensor([[101, 2007, 88, 415, 102, 0], [101, 19, 20, 21, 22, 102]])
    batch = {"input_ids": ids, "attention_mask": (ids > 0).long(), "bbox": torch.rand(2, 6, 4)}
    logits = TaxFormTagger()(**batch)
    print(logits.argmax(-1))
