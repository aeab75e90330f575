import torch
import torch.nn as nn


class ToyTokenizer:
    cls_token_id, sep_token_id, pad_token_id = 1, 2, 0

    def encode(self, text):
        return [3 + (sum(map(ord, w)) % 40) for w in text.split()]


def build_batch(tokenizer, text_list):
    token_id_list = []
    segment_list = []
    attention_masks = []
    longest = -1
    for pair in text_list:
        sent1, sent2 = pair
        ids1, ids2 = tokenizer.encode(sent1), tokenizer.encode(sent2)
        ids = [tokenizer.cls_token_id] + ids1 + [tokenizer.sep_token_id] + ids2 + [tokenizer.sep_token_id]
        types = [0] * (len(ids1) + 2) + [1] * (len(ids2) + 1)
        if len(ids) > longest:
            longest = len(ids)
        token_id_list.append(ids)
        segment_list.append(types)
        attention_masks.append([1] * len(ids))
    for ii in range(len(token_id_list)):
        token_id_list[ii] += [0] * (longest - len(token_id_list[ii]))
        attention_masks[ii] += [1] * (longest - len(attention_masks[ii]))  # BUG
        segment_list[ii] += [1] * (longest - len(segment_list[ii]))
    return torch.tensor(token_id_list), torch.tensor(segment_list), torch.tensor(attention_masks)


class TinyBert(nn.Module):
    """BERT-style encoder taking HF-style (input_ids, token_type_ids, attention_mask)."""

    def __init__(self, vocab_size=50, hidden=16, heads=2, layers=2):
        super().__init__()
        self.word = nn.Embedding(vocab_size, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.pos = nn.Embedding(64, hidden)
        self.layers = nn.ModuleList([nn.MultiheadAttention(hidden, heads, batch_first=True) for _ in range(layers)])
        self.norm = nn.LayerNorm(hidden)

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.shape[1])
        x = self.word(input_ids) + self.token_type(token_type_ids) + self.pos(pos)
        extended_attention_mask = (1.0 - attention_mask[:, None, :].float()) * -10000.0
        extended_attention_mask = extended_attention_mask.repeat_interleave(self.layers[0].num_heads, dim=0)
        extended_attention_mask = extended_attention_mask.expand(-1, input_ids.shape[1], -1)
        for attn in self.layers:
            x = self.norm(x + attn(x, x, x, attn_mask=extended_attention_mask, need_weights=False)[0])
        return x


class BertNLIModel(nn.Module):
    def __init__(self, label_num=3):
        super().__init__()
        self.tokenizer = ToyTokenizer()
        self.bert = TinyBert()
        self.nli_head = nn.Linear(16, label_num)

    def ff(self, sent_pair_list):
        ids, types, masks = build_batch(self.tokenizer, sent_pair_list)
        cls_vecs = self.bert(ids, types, masks)[:, 0]
        return self.nli_head(cls_vecs)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel().eval()
    short = ("a man sleeps", "a person rests")
    long = ("two dogs run across the wide green field", "animals are moving outside in the sun")
    with torch.no_grad():
        batched = model.ff([short, long])
        alone = model.ff([short])
    print(f"NLI logits of the short pair, batched vs alone: max diff {(batched[0] - alone[0]).abs().max().item():.4f}")
