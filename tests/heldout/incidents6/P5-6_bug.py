"""NLI fine-tuning: sentence pairs packed as [CLS] a [SEP] b [SEP] into a small BERT-like encoder."""
import torch
import torch.nn as nn

CLS, SEP, PAD = 1, 2, 0


def prepare_batch(pairs, max_len=16):
    ids_list, type_list = [], []
    for a, b in pairs:
        ids = [CLS] + a + [SEP] + b + [SEP]
        types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        ids_list.append(ids[:max_len])
        type_list.append(types[:max_len])
    max_len = max(len(x) for x in ids_list)
    input_ids = torch.full((len(pairs), max_len), PAD, dtype=torch.long)
    token_type_ids = torch.zeros((len(pairs), max_len), dtype=torch.long)
    attn_masks = torch.ones((len(pairs), max_len), dtype=torch.long)  # BUG
    for i, (ids, types) in enumerate(zip(ids_list, type_list)):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        token_type_ids[i, : len(types)] = torch.tensor(types)
    return input_ids, token_type_ids, attn_masks


class MiniBert(nn.Module):
    def __init__(self, vocab=100, hidden=32, heads=4, layers=2):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden, padding_idx=PAD)
        self.pos = nn.Embedding(64, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, batch_first=True), layers, enable_nested_tensor=False
        )

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.word(input_ids) + self.pos(pos) + self.token_type(token_type_ids)
        return self.encoder(x, src_key_padding_mask=attention_mask == 0)


class BertNLIModel(nn.Module):
    def __init__(self, num_labels=3):
        super().__init__()
        self.bert = MiniBert()
        self.classifier = nn.Linear(32, num_labels)

    def forward(self, pairs):
        input_ids, token_type_ids, attn_masks = prepare_batch(pairs)
        hidden = self.bert(input_ids, token_type_ids, attn_masks)
        return self.classifier(hidden[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel()
    pairs = [([10, 11, 12, 13], [20, 21, 22]), ([30, 31], [40])]
    logits = model(pairs)
    loss = nn.functional.cross_entropy(logits, torch.tensor([0, 2]))
    loss.backward()
    print(logits.shape, loss.item())
