"""BLIP-2 Q-Former text branch (image-grounded text encoder): queries and text tokens share
self-attention; the tokenizer returns an int64 attention_mask with 1 = real token."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def tokenize(texts, vocab, max_len=8):
    ids = torch.zeros(len(texts), max_len, dtype=torch.long)
    attention_mask = torch.zeros(len(texts), max_len, dtype=torch.long)
    for i, t in enumerate(texts):
        toks = [vocab.setdefault(w, len(vocab) + 1) for w in t.split()][:max_len]
        ids[i, :len(toks)] = torch.tensor(toks)
        attention_mask[i, :len(toks)] = 1
    return {"input_ids": ids, "attention_mask": attention_mask}


class QFormerTextLayer(nn.Module):
    def __init__(self, d=32, heads=4, n_query=4):
        super().__init__()
        self.h = heads
        self.query_tokens = nn.Parameter(torch.randn(1, n_query, d))
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, text_emb, attention_mask):
        B = text_emb.size(0)
        x = torch.cat([self.query_tokens.expand(B, -1, -1), text_emb], 1)
        L, D = x.size(1), x.size(2)
        full_mask = torch.cat([attention_mask.new_ones(B, self.query_tokens.size(1)), attention_mask], 1)
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v,
                                           attn_mask=full_mask[:, None, None, :])  # expect: ML203
        return self.o(y.transpose(1, 2).reshape(B, L, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab = {}
    batch = tokenize(["a photo of a dog", "two cats on a red sofa near window"], vocab)
    emb = nn.Embedding(64, 32)
    layer = QFormerTextLayer()
    try:
        layer(emb(batch["input_ids"]), batch["attention_mask"])
        print("ran")
    except RuntimeError as e:
        print("FAILURE SHOWN:", str(e)[:110])
