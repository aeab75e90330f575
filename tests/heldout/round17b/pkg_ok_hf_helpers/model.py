"""Encoder + classification head (MeSH top-level category)."""
import torch
from torch import nn

from .attention import ATTENTION_FUNCTIONS
from .modeling_utils import get_extended_attention_mask


class AbstractSelfAttention(nn.Module):
    def __init__(self, dim, heads, attn_implementation="sdpa"):
        super().__init__()
        self.heads, self.impl = heads, attn_implementation
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, hidden_states, attention_mask=None):
        b, n, d = hidden_states.shape
        shape = (b, n, self.heads, d // self.heads)
        q, k, v = (f(hidden_states).view(shape).transpose(1, 2) for f in (self.q, self.k, self.v))
        out, _ = ATTENTION_FUNCTIONS[self.impl](self, q, k, v, attention_mask)
        return self.o(out.transpose(1, 2).reshape(b, n, d))


class AbstractClassifier(nn.Module):
    def __init__(self, vocab=28000, dim=64, heads=4, layers=2, n_labels=16, attn_implementation="sdpa"):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, dim)
        self.position = nn.Embedding(512, dim)
        self.attn = nn.ModuleList(AbstractSelfAttention(dim, heads, attn_implementation) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.classifier = nn.Linear(dim, n_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embeddings(input_ids) + self.position(torch.arange(input_ids.size(1), device=input_ids.device))
        attention_mask = get_extended_attention_mask(attention_mask, x.dtype)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, attention_mask=attention_mask))
        return self.classifier(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(5, 28000, (2, 30))
    am = torch.ones(2, 30, dtype=torch.long)
    am[1, 18:] = 0
    for impl in ATTENTION_FUNCTIONS:
        print(impl, AbstractClassifier(attn_implementation=impl)(ids, am).argmax(-1))
