"""Compact BERT re-implementation on top of nn.MultiheadAttention (for a sentence-pair classifier)."""
import torch
from torch import nn


class BertEmbeddings(nn.Module):
    def __init__(self, vocab_size, hidden_size, max_position=128, type_vocab_size=2, dropout=0.1):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_position, hidden_size)
        self.token_type_embeddings = nn.Embedding(type_vocab_size, hidden_size)
        self.LayerNorm = nn.LayerNorm(hidden_size, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.size(1), device=input_ids.device).unsqueeze(0)
        emb = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(emb))


class BertLayer(nn.Module):
    def __init__(self, hidden_size, num_heads, intermediate_size, dropout=0.1):
        super().__init__()
        self.attention = nn.MultiheadAttention(hidden_size, num_heads, dropout=dropout, batch_first=True)
        self.attention_norm = nn.LayerNorm(hidden_size, eps=1e-12)
        self.intermediate = nn.Linear(hidden_size, intermediate_size)
        self.output = nn.Linear(intermediate_size, hidden_size)
        self.output_norm = nn.LayerNorm(hidden_size, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, hidden_states, extended_attention_mask):
        attn_out, _ = self.attention(hidden_states, hidden_states, hidden_states,
                                     attn_mask=extended_attention_mask, need_weights=False)  # expect: ML301
        h = self.attention_norm(hidden_states + self.dropout(attn_out))
        ff = self.output(nn.functional.gelu(self.intermediate(h)))
        return self.output_norm(h + self.dropout(ff))


class BertForPairClassification(nn.Module):
    def __init__(self, vocab_size=8000, hidden_size=64, num_layers=2, num_heads=4, num_labels=3):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab_size, hidden_size)
        self.layers = nn.ModuleList(BertLayer(hidden_size, num_heads, 4 * hidden_size) for _ in range(num_layers))
        self.pooler = nn.Sequential(nn.Linear(hidden_size, hidden_size), nn.Tanh())
        self.classifier = nn.Linear(hidden_size, num_labels)

    def get_extended_attention_mask(self, attention_mask, dtype):
        extended = attention_mask.unsqueeze(1).unsqueeze(2).to(dtype)
        return (1.0 - extended) * torch.finfo(dtype).min

    def forward(self, input_ids, token_type_ids, attention_mask):
        h = self.embeddings(input_ids, token_type_ids)
        ext = self.get_extended_attention_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, ext)
        return self.classifier(self.pooler(h[:, 0]))


def encode_pair(a, b, max_len=16):
    ids = [101] + a + [102] + b + [102]
    types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
    mask = [1] * len(ids)
    pad = max_len - len(ids)
    return ids + [0] * pad, types + [0] * pad, mask + [0] * pad


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertForPairClassification()
    rows = [encode_pair([2001, 2023, 2003], [2054, 2079]), encode_pair([7592, 2088], [3231, 2006, 1037, 2146])]
    input_ids, token_type_ids, attention_mask = (torch.tensor(list(t)) for t in zip(*rows))
    try:
        logits = model(input_ids, token_type_ids, attention_mask)
        print("entail/neutral/contradict", logits.softmax(-1).tolist())
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", err)
