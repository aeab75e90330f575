"""Fraud scoring of insurance claims from their sequence of billing codes.

Claims are tokenised like text (procedure / diagnosis / provider codes); the
batch dict from the tokenizer is splatted straight into the model, which
forwards whatever keyword arguments it does not use to its layers.
"""
import torch
import torch.nn.functional as F
from torch import nn


def tokenize(claims, vocab, max_len=16):
    ids = [[vocab.setdefault(c, len(vocab)) for c in claim.split()][:max_len] for claim in claims]
    width = max(map(len, ids))
    input_ids = torch.zeros(len(ids), width, dtype=torch.long)
    attention_mask = torch.zeros(len(ids), width, dtype=torch.long)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = torch.tensor(row)
        attention_mask[i, : len(row)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class CodeAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(dim, 3 * dim)
        self.out_proj = nn.Linear(dim, dim)

    def forward(self, x, attention_mask=None, **unused):
        b, s, d = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = None if attention_mask is None else attention_mask[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML203
        return x + self.out_proj(y.transpose(1, 2).reshape(b, s, d))


class ClaimScorer(nn.Module):
    def __init__(self, vocab_size=512, dim=32, heads=4, depth=2):
        super().__init__()
        self.codes = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.blocks = nn.ModuleList(CodeAttention(dim, heads) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, input_ids, **kwargs):
        x = self.codes(input_ids)
        for block in self.blocks:
            x = block(F.layer_norm(x, x.shape[-1:]), **kwargs)
        keep = (input_ids != 0).unsqueeze(-1).float()
        return self.score((x * keep).sum(1) / keep.sum(1)).squeeze(-1)


def score_batches(model, batches):
    results = []
    for i, batch in enumerate(batches):
        try:
            with torch.no_grad():
                results.append(torch.sigmoid(model(**batch)))
        except RuntimeError as err:          # keep the nightly job alive, report the batch
            print(f"batch {i} failed: {err}")
    return results


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab = {"<pad>": 0}
    claims = ["CPT99213 ICD-J06.9 NPI-1234", "CPT99215 CPT93000 ICD-I48.91 NPI-9876 CPT80053",
              "CPT97110 CPT97110 CPT97110 CPT97110 ICD-M54.5 NPI-5555"]
    model = ClaimScorer().eval()
    print(score_batches(model, [tokenize(claims, vocab)]))
