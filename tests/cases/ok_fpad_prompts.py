"""F.pad-built batches that are fine: right padding under a causal mask (every real token comes
before the padding), and left padding whose mask reaches the attention call."""
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


class MaskedLM(TinyLM):
    def forward(self, ids, attention_mask=None):
        x = self.emb(ids)
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        keep = causal[None, None] & attention_mask.bool()[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.head(y.transpose(1, 2).reshape(B, T, D))


def right_padded(prompts, pad_id=0):
    L = max(len(p) for p in prompts)
    ids = torch.stack([F.pad(torch.tensor(p), (0, L - len(p)), value=pad_id) for p in prompts])
    mask = torch.stack([F.pad(torch.ones(len(p), dtype=torch.long), (0, L - len(p))) for p in prompts])
    return ids, mask


def left_padded(prompts, pad_id=0):
    L = max(len(p) for p in prompts)
    ids = torch.stack([F.pad(torch.tensor(p), (L - len(p), 0), value=pad_id) for p in prompts])
    mask = torch.stack([F.pad(torch.ones(len(p), dtype=torch.long), (L - len(p), 0)) for p in prompts])
    return ids, mask


@torch.no_grad()
def train_loss(prompts):
    ids, mask = right_padded(prompts)
    logits = TinyLM()(ids, mask)
    return F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten(), ignore_index=0)


@torch.no_grad()
def generate(prompts, steps=3):
    model = MaskedLM()
    ids, mask = left_padded(prompts)
    for _ in range(steps):
        nxt = model(ids, mask)[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], 1)
        mask = torch.cat([mask, torch.ones_like(nxt)], 1)
    return ids


if __name__ == "__main__":
    print(train_loss([[5, 6, 7], [8]]), generate([[5, 6, 7], [8]]))


class ShiftRightDecoder(nn.Module):
    """T5's shift right: the decoder start token is the pad id, padded in once on the left of every
    label row. That is a start token, not padding; the causal mask covers the rest."""

    def __init__(self, vocab=100, d=32, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, labels):
        dec_ids = F.pad(labels[:, :-1], (1, 0), value=self.pad_id)
        causal = nn.Transformer.generate_square_subsequent_mask(dec_ids.size(1))
        return self.layer(self.emb(dec_ids), src_mask=causal, is_causal=True)


shifted = ShiftRightDecoder()(torch.tensor([[5, 6, 7], [8, 9, 4]]))
