"""Prompts left-padded one by one with F.pad and stacked, into causal models that drop the mask:
causal attention does not hide padding that comes *before* a prompt's tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, attention_mask=None):
        x = self.emb(ids)
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.head(y.transpose(1, 2).reshape(B, T, D))


def batch_prompts(prompts, pad_id=0):
    L = max(len(p) for p in prompts)
    ids = torch.stack([F.pad(torch.tensor(p), (L - len(p), 0), value=pad_id) for p in prompts])
    mask = torch.stack([F.pad(torch.ones(len(p), dtype=torch.long), (L - len(p), 0)) for p in prompts])
    return ids, mask


@torch.no_grad()
def generate(model, prompts, steps=4):
    ids, mask = batch_prompts(prompts)
    for _ in range(steps):
        logits = model(ids, mask)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], 1)
        mask = torch.cat([mask, torch.ones_like(nxt)], 1)
    return ids


class Decoder(nn.Module):
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, h, batch_first=True)

    def forward(self, ids, keep):
        causal = nn.Transformer.generate_square_subsequent_mask(ids.size(1))
        return self.layer(self.emb(ids), src_mask=causal, is_causal=True)


def score(model, texts, pad_token_id=0):
    width = max(map(len, texts))
    keep = torch.stack([F.pad(torch.ones(len(t), dtype=torch.bool), (width - len(t), 0), value=False)
                        for t in texts])
    ids = torch.stack([F.pad(torch.tensor(t), (width - len(t), 0), value=pad_token_id) for t in texts])
    return model(ids, keep)


if __name__ == "__main__":
    print(generate(TinyLM(), [[5, 6, 7], [8]]))  # expect: ML504
    print(score(Decoder(), [[5, 6, 7], [8]]).shape)  # expect: ML504
