"""Intent classification for a support chatbot. Utterances are tokenised by a tiny
whitespace/wordpiece tokenizer that returns Hugging Face style dicts (input_ids,
attention_mask), and collated by a DataLoader collate_fn."""
from __future__ import annotations

from typing import Dict, List

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

INTENTS = ["billing", "cancel", "shipping", "greeting"]


class WhitespaceTokenizer:
    def __init__(self, corpus: List[str], max_len: int = 32):
        words = sorted({w for s in corpus for w in s.lower().split()})
        self.vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, **{w: i + 3 for i, w in enumerate(words)}}
        self.max_len = max_len

    def __call__(self, text: str) -> Dict[str, List[int]]:
        ids = [2] + [self.vocab.get(w, 1) for w in text.lower().split()][: self.max_len - 1]
        return {"input_ids": ids, "attention_mask": [1] * len(ids)}


class UtteranceDataset(Dataset):
    def __init__(self, rows, tokenizer: WhitespaceTokenizer):
        self.rows, self.tok = rows, tokenizer

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        text, intent = self.rows[i]
        return {**self.tok(text), "label": INTENTS.index(intent)}


def collate(features: List[Dict]) -> Dict[str, torch.Tensor]:
    width = max(len(f["input_ids"]) for f in features)
    batch = {
        "input_ids": torch.tensor([f["input_ids"] + [0] * (width - len(f["input_ids"])) for f in features]),
        "attention_mask": torch.tensor([f["attention_mask"] + [0] * (width - len(f["attention_mask"])) for f in features]),
        "labels": torch.tensor([f["label"] for f in features]),
    }
    return batch


class IntentClassifier(nn.Module):
    def __init__(self, vocab_size: int, dim: int = 64, heads: int = 4, layers: int = 2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.cls = nn.Linear(dim, len(INTENTS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        h = self.encoder(x, src_key_padding_mask=1 - attention_mask)  # expect: ML203
        return self.cls(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    rows = [("why was my card charged twice", "billing"), ("please cancel my subscription", "cancel"),
            ("where is my parcel", "shipping"), ("hi there", "greeting"),
            ("refund the extra charge", "billing"), ("stop my plan now", "cancel")]
    tok = WhitespaceTokenizer([r[0] for r in rows])
    loader = DataLoader(UtteranceDataset(rows, tok), batch_size=3, shuffle=True, collate_fn=collate)
    model = IntentClassifier(len(tok.vocab))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for batch in loader:
        try:
            logits = model(batch["input_ids"], batch["attention_mask"])
        except (AssertionError, RuntimeError) as err:
            print("forward failed:", err)
            break
        loss = nn.functional.cross_entropy(logits, batch["labels"])
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("loss", round(loss.item(), 4))
