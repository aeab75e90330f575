import torch
from torch import nn


def build_batch(token_id_lists, max_len=None, pad_id=0):
    """Pad premise/hypothesis token ids into tensors for the encoder."""
    max_len = max_len or max(len(ids) for ids in token_id_lists)
    input_ids, attention_masks = [], []
    for ids in token_id_lists:
        ids = ids[:max_len]
        attention_mask = [1] * len(ids) + [0] * (max_len - len(ids))
        padding = [pad_id] * (max_len - len(ids))
        input_ids.append(ids + padding)
        attention_masks.append(attention_mask)
    return torch.tensor(input_ids), torch.tensor(attention_masks)


class TinyBertEncoder(nn.Module):
    def __init__(self, vocab=100, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, hidden)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, 3)  # entailment / neutral / contradiction

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        extended_attention_mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        scores = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5 + extended_attention_mask
        h = self.out((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))
        return self.classifier(h[:, 0])  # [CLS]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyBertEncoder().eval()
    pair = [1, 7, 19, 23, 2, 44, 52, 2]
    ids, masks = build_batch([pair, pair + [60, 61, 62, 2]])
    with torch.no_grad():
        padded = model(ids[:1], masks[:1])
        unpadded = model(*build_batch([pair]))
    print(ids.shape, masks.tolist()[0])
    print("same pair, padded vs unpadded logits:", (padded - unpadded).abs().max().item())
