import torch
from torch import nn


class BertEmbeddings(nn.Module):
    def __init__(self, vocab_size, hidden, max_pos=128, type_vocab=2):
        super().__init__()
        self.word = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.position = nn.Embedding(max_pos, hidden)
        self.token_type = nn.Embedding(type_vocab, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        return self.norm(self.word(input_ids) + self.position(pos) + self.token_type(token_type_ids))


class TinyBertLayer(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.attention = nn.MultiheadAttention(hidden, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden))

    def forward(self, hidden_states, key_padding_mask=None, attn_mask=None):
        a, _ = self.attention(hidden_states, hidden_states, hidden_states,
                              key_padding_mask=key_padding_mask, attn_mask=attn_mask, need_weights=False)
        h = self.ln1(hidden_states + a)
        return self.ln2(h + self.ffn(h))


class BertForSequenceClassification(nn.Module):
    def __init__(self, vocab_size=1000, hidden=64, heads=4, layers=2, num_labels=3):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab_size, hidden)
        self.layers = nn.ModuleList([TinyBertLayer(hidden, heads) for _ in range(layers)])
        self.classifier = nn.Linear(hidden, num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        h = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            h = layer(h, key_padding_mask=attention_mask.bool())  # expect: ML101
        return self.classifier(h[:, 0])


class BertForTokenClassification(BertForSequenceClassification):
    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        h = self.embeddings(input_ids, token_type_ids)
        extended = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        for layer in self.layers:
            h = layer(h, attn_mask=extended)  # expect: ML301
        return self.classifier(h)


if __name__ == "__main__":
    ids = torch.tensor([[101, 7, 8, 9, 102, 0, 0], [101, 4, 5, 6, 7, 8, 102]])
    am = (ids != 0).long()
    print(BertForSequenceClassification()(ids, am).shape)
    print(BertForTokenClassification()(ids, am).shape)
