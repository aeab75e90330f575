from typing import List, Tuple

import torch
import torch.nn as nn


class BertNLIModel(nn.Module):
    """Sentence-pair classifier on top of a BERT-like encoder returning (last_hidden, pooled)."""

    def __init__(self, bert: nn.Module, hidden_size: int = 768, num_labels: int = 3, pad_token_id: int = 0):
        super().__init__()
        self.bert = bert
        self.pad_token_id = pad_token_id
        self.dropout = nn.Dropout(0.1)
        self.nli_head = nn.Linear(hidden_size, num_labels)

    def collate(self, pairs: List[Tuple[List[int], List[int]]], cls_id: int = 101, sep_id: int = 102):
        ids, segs = [], []
        for prem, hyp in pairs:
            ids.append([cls_id] + prem + [sep_id] + hyp + [sep_id])
            segs.append([0] * (len(prem) + 2) + [1] * (len(hyp) + 1))
        max_len = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), max_len), self.pad_token_id, dtype=torch.long)
        token_type_ids = torch.zeros((len(ids), max_len), dtype=torch.long)
        attention_mask = torch.zeros((len(ids), max_len), dtype=torch.long)
        for i, (x, s) in enumerate(zip(ids, segs)):
            input_ids[i, : len(x)] = torch.tensor(x)
            token_type_ids[i, : len(s)] = torch.tensor(s)
            attention_mask[i, : len(x)] = 1
        return input_ids, token_type_ids, attention_mask

    def forward(self, pairs):
        input_ids, token_type_ids, attention_mask = self.collate(pairs)
        _, pooled = self.bert(
            input_ids=input_ids,
            token_type_ids=token_type_ids,
            attention_mask=attention_mask,
        )
        return self.nli_head(self.dropout(pooled))


class TinyBert(nn.Module):
    def __init__(self, vocab=30522, hidden=768):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.seg = nn.Embedding(2, hidden)
        self.layer = nn.TransformerEncoderLayer(hidden, 12, batch_first=True)

    def forward(self, input_ids, token_type_ids, attention_mask):
        h = self.layer(self.emb(input_ids) + self.seg(token_type_ids), src_key_padding_mask=attention_mask == 0)
        return h, torch.tanh(h[:, 0])


if __name__ == "__main__":
    model = BertNLIModel(TinyBert())
    print(model([([2023, 2003, 1037], [2009, 2001]), ([1045, 2293], [1045, 5223, 2009, 2172, 2172])]).shape)
