"""Chat model forward for left-padded batches; the causal and padding biases are summed
into one additive mask before SDPA. The model is served with model.half()."""
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -65504.0


def causal_bias(T: int, dtype, device):
    return torch.full((T, T), NEG, dtype=dtype, device=device).triu(1)


def padding_bias(attention_mask: torch.Tensor, dtype):
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * NEG


def combined_bias(attention_mask, dtype):
    T = attention_mask.size(1)
    return causal_bias(T, dtype, attention_mask.device) + padding_bias(attention_mask, dtype)  # expect: ML205


class Block(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x, bias):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return x + self.o(F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(B, T, D))


class ChatLM(nn.Module):
    def __init__(self, vocab=500, d=64, n=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, attention_mask):
        x = self.emb(ids)
        bias = combined_bias(attention_mask, x.dtype)
        for b in self.blocks:
            x = b(x, bias)
        return self.head(x)


if __name__ == "__main__":
    lm = ChatLM().half()
    ids = torch.randint(0, 500, (2, 6))
    am = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        bias = combined_bias(am, torch.float16)
        print("has -inf:", torch.isinf(bias).any().item())
