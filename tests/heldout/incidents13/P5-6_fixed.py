import torch
import torch.nn as nn


class MiniBertModel(nn.Module):
    """BERT-like encoder following the HF contract: attention_mask 1 = token, 0 = padding."""

    def __init__(self, vocab=100, hidden=32, heads=4, layers=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.position_embeddings = nn.Embedding(64, hidden)
        self.attn = nn.ModuleList([nn.MultiheadAttention(hidden, heads, batch_first=True) for _ in range(layers)])
        self.norm = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(layers)])

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings(input_ids) + self.position_embeddings(torch.arange(input_ids.shape[1]))
        extended = (1.0 - attention_mask[:, None, :].float()) * -10000.0
        extended = extended.repeat_interleave(self.attn[0].num_heads, 0).expand(-1, input_ids.shape[1], -1)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, x, x, attn_mask=extended)[0])
        return x


class BertNLI(nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = MiniBertModel()
        self.classifier = nn.Linear(32, 3)

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.bert(input_ids, attention_mask)[:, 0])


def sent_pair_to_ids(pairs, pad_id=0, cls_id=1, sep_id=2):
    seqs = [[cls_id] + a + [sep_id] + b + [sep_id] for a, b in pairs]
    max_len = max(len(s) for s in seqs)
    input_ids, attention_masks = [], []
    for s in seqs:
        input_ids.append(s + [pad_id] * (max_len - len(s)))
        attention_masks.append([1] * len(s) + [0] * (max_len - len(s)))  # BUG
    return torch.tensor(input_ids), torch.tensor(attention_masks)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLI().eval()
    pairs = [([10, 11, 12, 13, 14], [20, 21, 22, 23]), ([30, 31], [40])]
    with torch.no_grad():
        ids, mask = sent_pair_to_ids(pairs)
        batched = model(ids, mask)[1]
        ids1, mask1 = sent_pair_to_ids(pairs[1:])
        alone = model(ids1, mask1)[0]
    print(f"NLI logits of the short pair: |in padded batch - alone| = {(batched - alone).abs().max().item():.4f}")
