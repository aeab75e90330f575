import torch
import torch.nn as nn


class CharTokenizer:
    cls_token_id, sep_token_id, pad_token_id = 1, 2, 0

    def encode(self, text_a, text_b):
        a = [3 + (ord(c) % 40) for c in text_a]
        b = [3 + (ord(c) % 40) for c in text_b]
        return [self.cls_token_id] + a + [self.sep_token_id] + b + [self.sep_token_id], len(a) + 2


class TinyBert(nn.Module):
    def __init__(self, vocab_size=50, hidden=16, heads=2, layers=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.position_embeddings = nn.Embedding(64, hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.shape[1])
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids) + self.position_embeddings(pos)
        extended_attention_mask = (1.0 - attention_mask[:, None, :].float()) * -10000.0
        extended_attention_mask = extended_attention_mask.expand(-1, input_ids.shape[1], -1)
        extended_attention_mask = extended_attention_mask.repeat_interleave(self.encoder.layers[0].self_attn.num_heads, 0)
        return self.encoder(x, mask=extended_attention_mask)


class BertNLIModel(nn.Module):
    def __init__(self, label_num=3):
        super().__init__()
        self.tokenizer = CharTokenizer()
        self.bert = TinyBert()
        self.nli_head = nn.Linear(16, label_num)

    def forward(self, sent_pair_list):
        ids, types, masks = build_batch(self.tokenizer, sent_pair_list)
        cls_vecs = self.bert(ids, types, masks)[:, 0]
        return self.nli_head(cls_vecs)


def build_batch(tokenizer, text_list):
    token_id_list, segment_list, attention_masks = [], [], []
    for text_a, text_b in text_list:
        ids, len_a = tokenizer.encode(text_a, text_b)
        token_id_list.append(ids)
        segment_list.append([0] * len_a + [1] * (len(ids) - len_a))
    longest = max(len(ids) for ids in token_id_list)
    for i in range(len(token_id_list)):
        orig_len = len(token_id_list[i])
        token_id_list[i] = token_id_list[i] + [tokenizer.pad_token_id] * (longest - orig_len)
        segment_list[i] = segment_list[i] + [1] * (longest - orig_len)
        attention_masks.append([1] * orig_len + [0] * (longest - orig_len))  # BUG
    return torch.tensor(token_id_list), torch.tensor(segment_list), torch.tensor(attention_masks)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel().eval()
    pairs = [("a cat sat", "a cat"), ("the weather is nice today", "it is sunny outside")]
    with torch.no_grad():
        batched = model(pairs)
        alone = model(pairs[:1])
    print(f"short pair logits: batched vs alone diff: {(batched[0] - alone[0]).abs().max().item():.4f}")
