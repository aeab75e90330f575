"""NLI with a BERT-style encoder: sentence pairs -> [CLS] a [SEP] b [SEP] -> 3-way classifier."""
import torch
import torch.nn as nn

CLS, SEP, PAD = 1, 2, 0


def build_batch(pairs, max_len=16):
    """Token-id pairs -> input_ids, token_type_ids, attention_mask (HF convention, 1 = attend)."""
    input_ids, token_types = [], []
    for a, b in pairs:
        ids = [CLS] + a + [SEP] + b + [SEP]
        types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        ids, types = ids[:max_len], types[:max_len]
        input_ids.append(ids + [PAD] * (max_len - len(ids)))
        token_types.append(types + [0] * (max_len - len(types)))
    input_ids = torch.tensor(input_ids)
    attention_mask = (input_ids != PAD).long()
    return input_ids, torch.tensor(token_types), attention_mask


class MiniBert(nn.Module):
    def __init__(self, vocab_size=60, hidden=32, heads=4, layers=2, max_len=16):
        super().__init__()
        self.word = nn.Embedding(vocab_size, hidden, padding_idx=PAD)
        self.position = nn.Embedding(max_len, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, dropout=0.0, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.norm(self.word(input_ids) + self.position(pos) + self.token_type(token_type_ids))
        return self.encoder(x, src_key_padding_mask=attention_mask == 0)


class BertNLI(nn.Module):
    def __init__(self, num_labels=3):
        super().__init__()
        self.bert = MiniBert()
        self.classifier = nn.Linear(32, num_labels)

    def forward(self, input_ids, token_type_ids, attention_mask):
        hidden = self.bert(input_ids, token_type_ids, attention_mask)
        return self.classifier(hidden[:, 0])


if __name__ == "__main__":
    batch = build_batch([([5, 6, 7], [8, 9]), ([10, 11], [12, 13, 14, 15])])
    print(BertNLI()(*batch).softmax(-1))
