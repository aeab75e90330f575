"""bert_nli.py style: sentence-pair classifier on a BERT encoder.  The batch
builder pads token ids but creates the attention mask with all ones.  (A tiny
BERT-like encoder stands in for transformers.BertModel: HF attention_mask
1 = real token, extended to an additive mask.)"""
import torch
import torch.nn as nn


class TinyBert(nn.Module):
    def __init__(self, vocab=100, hidden=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(hidden, heads, 64, dropout=0.0, batch_first=True)
                                    for _ in range(layers))

    def forward(self, input_ids, token_type_ids=None, attention_mask=None):
        extended = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        extended = extended.expand(-1, self.layers[0].self_attn.num_heads, input_ids.size(1), -1)
        extended = extended.reshape(-1, input_ids.size(1), input_ids.size(1))
        h = self.emb(input_ids)
        for layer in self.layers:
            h = layer(h, src_mask=extended)
        return h[:, 0]


class BertNLIModel(nn.Module):
    def __init__(self, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.bert = TinyBert()
        self.nli_head = nn.Linear(32, 3)

    def prepare_batch(self, batch_token_ids):
        max_len = max(len(t) for t in batch_token_ids)
        ids = torch.full((len(batch_token_ids), max_len), self.pad_id, dtype=torch.long)
        for i, t in enumerate(batch_token_ids):
            ids[i, : len(t)] = torch.tensor(t)
        attention_mask = (ids != self.pad_id).long()
        return ids, attention_mask

    def forward(self, batch_token_ids):
        ids, attention_mask = self.prepare_batch(batch_token_ids)
        return self.nli_head(self.bert(ids, attention_mask=attention_mask))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel()
    pair = [1, 5, 6, 2, 7, 8, 2]
    with torch.no_grad():
        alone = model([pair])[0]
        batched = model([pair, pair + [9, 10, 11, 12, 13]])[0]
    print("logit change from being padded in a batch:", (alone - batched).abs().max().item())
