"""Batched prompt prefill for a small chat model (right-padded prompts)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prompt_masks(input_ids, pad_id):
    keep = input_ids.ne(pad_id)
    return keep[:, None, None, :], keep.sum(-1)


class PrefillAttention(nn.Module):
    def __init__(self, dim=128, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, key_keep):
        B, T, C = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(  # expect: ML403
            q,
            k,
            v,
            attn_mask=key_keep,
            is_causal=True,
        )
        return self.wo(out.transpose(1, 2).reshape(B, T, C)), (k, v)


class ChatModel(nn.Module):
    def __init__(self, vocab=1000, dim=128, layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(PrefillAttention(dim) for _ in range(layers))
        self.head = nn.Linear(dim, vocab)

    @torch.no_grad()
    def prefill(self, input_ids):
        key_keep, lengths = prompt_masks(input_ids, self.pad_id)
        x = self.emb(input_ids)
        cache = []
        for layer in self.layers:
            h, kv = layer(x, key_keep)
            x = x + h
            cache.append(kv)
        last = x[torch.arange(x.size(0)), lengths - 1]
        return self.head(last), cache


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 8], [9, 10, 0, 0]])
    logits, cache = ChatModel().prefill(ids)
    print(logits.shape)
