import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


def collate_reviews(examples, max_len=16):
    ids = [torch.tensor(e["tokens"][:max_len]) for e in examples]
    input_ids = nn.utils.rnn.pad_sequence(ids, batch_first=True, padding_value=PAD_ID)
    return {
        "input_ids": input_ids,
        "attention_mask": (input_ids != PAD_ID).long(),
        "labels": torch.tensor([e["label"] for e in examples]),
    }


class ReviewClassifier(nn.Module):
    def __init__(self, vocab=200, dim=32, heads=4, n_labels=3):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.cls = nn.Linear(dim, n_labels)

    def forward(self, input_ids, attention_mask, labels=None):
        x = self.emb(input_ids)
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        h = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask[:, None, None, :])  # expect: ML203
        h = self.proj(h.transpose(1, 2).reshape(b, n, d))
        pooled = (h * attention_mask[..., None]).sum(1) / attention_mask.sum(1, keepdim=True)
        logits = self.cls(pooled)
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = collate_reviews([{"tokens": [5, 17, 33, 8], "label": 2},
                             {"tokens": [9, 4, 4, 12, 90, 31], "label": 0}])
    model = ReviewClassifier()
    try:
        logits, loss = model(**batch)
        print("loss", loss.item())
    except RuntimeError as exc:
        print("forward failed:", exc)
