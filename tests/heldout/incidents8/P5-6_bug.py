import torch
import torch.nn as nn


class BertLikeEncoder(nn.Module):
    def __init__(self, vocab_size=1000, hidden=32, heads=4, layers=2, max_len=64):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_len, hidden)
        self.layer = nn.TransformerEncoder(nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, batch_first=True), layers)

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1))[None]
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        extended_attention_mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        mask = extended_attention_mask.squeeze(1).squeeze(1)
        return self.layer(x, src_key_padding_mask=mask < 0)


class BertNLIModel(nn.Module):
    def __init__(self, label_num=3, hidden=32):
        super().__init__()
        self.bert = BertLikeEncoder(hidden=hidden)
        self.nli_head = nn.Linear(hidden, label_num)

    def forward(self, sent_pair_list):
        ids, types, masks = self.pair2ids(sent_pair_list)
        cls_vecs = self.bert(ids, attention_mask=masks)[:, 0]  # BUG
        return self.nli_head(cls_vecs)

    def pair2ids(self, sent_pair_list, max_len=64):
        batch_ids = [[101] + a + [102] + b + [102] for a, b in sent_pair_list]
        batch_len = min(max(len(x) for x in batch_ids), max_len)
        ids = torch.zeros(len(batch_ids), batch_len, dtype=torch.long)
        types = torch.zeros(len(batch_ids), batch_len, dtype=torch.long)
        masks = torch.ones(len(batch_ids), batch_len, dtype=torch.long)  # BUG
        for i, seq in enumerate(batch_ids):
            seq = seq[:batch_len]
            ids[i, : len(seq)] = torch.tensor(seq)
        return ids, types, masks


if __name__ == "__main__":
    model = BertNLIModel()
    pairs = [([5, 6, 7, 8], [9, 10]), ([11], [12])]
    print(model(pairs).shape)
