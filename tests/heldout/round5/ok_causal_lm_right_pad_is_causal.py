"""Causal LM fine-tuning on right-padded batches: with causal attention a real token never sees
a pad to its right, and pad positions are dropped from the loss, so no padding mask is needed."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class TinyCausalLM(nn.Module):
    def __init__(self, vocab=200, d=64, h=4):
        super().__init__()
        self.h = h
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Embedding(64, d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        B, T = ids.shape
        x = self.emb(ids) + self.pos.weight[:T]
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.head(x + self.o(y.transpose(1, 2).reshape(B, T, -1)))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = TinyCausalLM()
    ids = torch.randint(1, 200, (2, 10)); ids[1, 6:] = PAD
    logits = m(ids)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten(), ignore_index=PAD)
    print(loss.item(), torch.allclose(logits[1, :6], m(ids[1:, :6])[0], atol=1e-5))
