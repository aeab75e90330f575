"""BERT-style cross-encoder reranker: "[CLS] query [SEP] passage [SEP]" pairs,
token type ids, a hand-rolled encoder on fused attention. The tokenizer's 1/0
attention_mask is expanded the way HF encoders do it: (1 - mask) * finfo.min,
a proper additive bias for the model's own dtype."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLS, SEP, PAD = 101, 102, 0


def encode_pairs(query, passages):
    rows = [[CLS] + query + [SEP] + p + [SEP] for p in passages]
    types = [[0] * (len(query) + 2) + [1] * (len(p) + 1) for p in passages]
    L = max(map(len, rows))
    ids = torch.tensor([r + [PAD] * (L - len(r)) for r in rows])
    tt = torch.tensor([t + [0] * (L - len(t)) for t in types])
    return {"input_ids": ids, "token_type_ids": tt, "attention_mask": (ids != PAD).long()}


def get_extended_attention_mask(attention_mask, dtype):
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, ext_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=ext_mask)
        x = self.ln1(x + self.o(a.transpose(1, 2).reshape(B, L, D)))
        return self.ln2(x + self.ff(x))


class CrossEncoder(nn.Module):
    def __init__(self, vocab=128, d=32, heads=4, layers=2):
        super().__init__()
        self.word = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(64, d)
        self.token_type = nn.Embedding(2, d)
        self.layers = nn.ModuleList([EncoderLayer(d, heads) for _ in range(layers)])
        self.classifier = nn.Linear(d, 1)

    def forward(self, input_ids, token_type_ids, attention_mask):
        x = self.word(input_ids) + self.pos(torch.arange(input_ids.size(1))) + self.token_type(token_type_ids)
        ext = get_extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        return self.classifier(x[:, 0]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossEncoder().eval()
    query = [5, 6, 7]
    passages = [[20, 21, 22, 23, 24, 25], [30, 31]]
    batch = encode_pairs(query, passages)
    with torch.no_grad():
        scores = model(**batch)
        alone = model(**encode_pairs(query, passages[1:]))
    assert not torch.isnan(scores).any()
    assert torch.allclose(scores[1], alone[0], atol=1e-5), "padding changed the short pair's score"
    print("ok: scores", scores.tolist())
