"""Left-padded batched generation: keep-mask grown per step and merged with a lower-right causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, attention_mask, past=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        S = k.size(2)
        causal = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(S - T)
        keep = attention_mask.bool()[:, None, None, :] & causal
        keep = keep | (~keep.any(-1, keepdim=True))  # rows of pad queries: attend anywhere, ignored later
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.o(y.transpose(1, 2).reshape(B, T, C)), (k, v)


class LM(nn.Module):
    def __init__(self, vocab=40, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = Attention(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, attention_mask, past=None):
        h, past = self.attn(self.emb(ids), attention_mask, past)
        return self.head(h), past


@torch.no_grad()
def generate(model, input_ids, attention_mask, max_new_tokens=3):
    logits, past = model(input_ids, attention_mask)
    for _ in range(max_new_tokens):
        nxt = logits[:, -1:].argmax(-1)
        input_ids = torch.cat([input_ids, nxt], 1)
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones(attention_mask.size(0), 1)], dim=1)
        logits, past = model(nxt, attention_mask, past)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = LM()
    padded = generate(lm, torch.tensor([[0, 0, 5, 6], [7, 8, 9, 10]]), torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]]))
    alone = generate(lm, torch.tensor([[5, 6]]), torch.tensor([[1, 1]]))
    assert torch.equal(padded[0, 2:], alone[0])
    print("left padding ok")
