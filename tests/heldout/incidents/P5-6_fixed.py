import torch
import torch.nn as nn
import torch.nn.functional as F

CLS_ID, SEP_ID = 1, 2


class MiniBertModel(nn.Module):
    """BERT-style encoder taking (input_ids, token_type_ids, attention_mask) like the HF model."""

    def __init__(self, vocab_size=40, hidden_size=8, num_heads=2, num_layers=1, max_len=32):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_len, hidden_size)
        self.token_type_embeddings = nn.Embedding(2, hidden_size)
        self.num_heads = num_heads
        self.qkv = nn.ModuleList([nn.Linear(hidden_size, 3 * hidden_size) for _ in range(num_layers)])
        self.norm = nn.LayerNorm(hidden_size)

    def get_extended_attention_mask(self, attention_mask, dtype):
        extended = attention_mask[:, None, None, :].to(dtype)
        return (1.0 - extended) * torch.finfo(dtype).min

    def forward(self, input_ids, token_type_ids, attention_mask):
        b, n = input_ids.shape
        x = self.word_embeddings(input_ids) + self.position_embeddings(torch.arange(n)) + self.token_type_embeddings(token_type_ids)
        ext_mask = self.get_extended_attention_mask(attention_mask, x.dtype)
        for qkv in self.qkv:
            q, k, v = qkv(x).view(b, n, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=ext_mask)
            x = self.norm(x + out.transpose(1, 2).reshape(b, n, -1))
        return x


class BertNLIModel(nn.Module):
    def __init__(self, num_labels=3, hidden_size=8):
        super().__init__()
        self.bert = MiniBertModel(hidden_size=hidden_size)
        self.classifier = nn.Linear(hidden_size, num_labels)

    def step(self, pairs, pad_id=0):
        # pairs: list of (premise_ids, hypothesis_ids); build [CLS] p [SEP] h [SEP] and pad to the longest
        seqs = [[CLS_ID] + p + [SEP_ID] + h + [SEP_ID] for p, h in pairs]
        types = [[0] * (len(p) + 2) + [1] * (len(h) + 1) for p, h in pairs]
        max_len = max(len(s) for s in seqs)
        input_ids = torch.tensor([s + [pad_id] * (max_len - len(s)) for s in seqs])
        token_type_ids = torch.tensor([t + [0] * (max_len - len(t)) for t in types])
        attention_mask = (input_ids != pad_id).long()
        hidden = self.bert(input_ids, token_type_ids, attention_mask)
        return self.classifier(hidden[:, 0])


def run():
    model = BertNLIModel()
    pairs = [([5, 6, 7], [8, 9]), ([10], [11])]
    return model.step(pairs)
