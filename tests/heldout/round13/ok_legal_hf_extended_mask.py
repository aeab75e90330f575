"""Contract-clause classifier with a BERT-style eager encoder (HF extended attention mask)."""
import math

import torch
import torch.nn as nn


def invert_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    ext = attention_mask[:, None, None, :].to(dtype=dtype)  # (B, 1, 1, S), 1 = token
    return (1.0 - ext) * torch.finfo(dtype).min


class BertSelfAttention(nn.Module):
    def __init__(self, hidden=256, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.ln = nn.LayerNorm(hidden)

    def forward(self, hidden_states, extended_attention_mask):
        B, S, D = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, S, 3, self.heads, self.head_dim).unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        scores = scores + extended_attention_mask
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, D)
        return self.ln(hidden_states + self.out(ctx))


class ClauseClassifier(nn.Module):
    def __init__(self, vocab=30000, hidden=256, heads=4, layers=3, n_labels=41):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(512, hidden)
        self.layers = nn.ModuleList(BertSelfAttention(hidden, heads) for _ in range(layers))
        self.classifier = nn.Linear(hidden, n_labels)

    def forward(self, input_ids, attention_mask):
        x = self.word(input_ids) + self.position.weight[: input_ids.size(1)]
        ext = invert_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        return self.classifier(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(100, 30000, (4, 128))
    attention_mask = torch.ones(4, 128, dtype=torch.long)
    attention_mask[1, 50:] = 0
    attention_mask[3, 9:] = 0
    model = ClauseClassifier()
    logits = model(ids, attention_mask)
    loss = nn.functional.cross_entropy(logits, torch.tensor([0, 5, 17, 40]))
    loss.backward()
    print("clause loss", round(loss.item(), 4))
