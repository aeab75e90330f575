import math

import numpy as np
import torch
import torch.nn as nn


class ToyWordPiece:
    def __init__(self):
        self.vocab = {"[PAD]": 0, "[CLS]": 101, "[SEP]": 102}

    def tokenize(self, text):
        ids = []
        for w in text.lower().split():
            if w not in self.vocab:
                self.vocab[w] = 1000 + len(self.vocab)
            ids.append(self.vocab[w] % 2000)
        return ids


class MiniBert(nn.Module):
    def __init__(self, vocab=2048, hidden=32, heads=4, layers=2, max_pos=64):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_pos, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.heads = heads
        self.layers = nn.ModuleList(nn.ModuleDict({
            "qkv": nn.Linear(hidden, 3 * hidden), "out": nn.Linear(hidden, hidden), "ln1": nn.LayerNorm(hidden),
            "ffn": nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden)), "ln2": nn.LayerNorm(hidden),
        }) for _ in range(layers))

    def forward(self, input_ids, token_type_ids, attention_mask):
        b, n = input_ids.shape
        x = self.word_embeddings(input_ids) + self.position_embeddings(torch.arange(n)) + self.token_type_embeddings(token_type_ids)
        extended_attention_mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        d = x.shape[-1] // self.heads
        for layer in self.layers:
            q, k, v = layer["qkv"](x).view(b, n, 3, self.heads, d).permute(2, 0, 3, 1, 4)
            scores = q @ k.transpose(-1, -2) / math.sqrt(d) + extended_attention_mask
            ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, -1)
            x = layer["ln1"](x + layer["out"](ctx))
            x = layer["ln2"](x + layer["ffn"](x))
        return x


class BertNLIModel(nn.Module):
    def __init__(self, label_num=3):
        super().__init__()
        self.tokenizer = ToyWordPiece()
        self.bert = MiniBert()
        self.nli_head = nn.Linear(32, label_num)

    def load_instances(self, sent_pair_list):
        data = []
        for sent1, sent2 in sent_pair_list:
            ids1, ids2 = self.tokenizer.tokenize(sent1), self.tokenizer.tokenize(sent2)
            data.append(([101] + ids1 + [102] + ids2 + [102], [0] * (len(ids1) + 2) + [1] * (len(ids2) + 1)))
        max_len = max(len(ids) for ids, _ in data)
        input_ids = np.zeros((len(data), max_len), dtype=np.int64)
        token_types = np.zeros((len(data), max_len), dtype=np.int64)
        for i, (ids, types) in enumerate(data):
            input_ids[i, : len(ids)] = ids
            token_types[i, : len(types)] = types
        attn_masks = np.ones(input_ids.shape, dtype=np.int64)  # BUG
        return torch.tensor(input_ids), torch.tensor(token_types), torch.tensor(attn_masks)

    def forward(self, sent_pair_list):
        ids, types, masks = self.load_instances(sent_pair_list)
        cls_vecs = self.bert(ids, types, masks)[:, 0]
        return self.nli_head(cls_vecs)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel().eval()
    pair = ("a man plays guitar", "someone makes music")
    long_pair = ("two dogs are running through a field of tall green grass", "animals are outside in the sun today")
    with torch.no_grad():
        alone = model([pair])[0]
        batched = model([pair, long_pair])[0]
    print(f"logits of a pair alone vs batched with a longer pair: {(alone - batched).abs().max().item():.3e}")
