import math

import torch
import torch.nn as nn


class EagerSelfAttention(nn.Module):
    def __init__(self, hidden, heads, dropout=0.0):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dense = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(dropout)

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask):
        q, k, v = self.split(self.query(hidden_states)), self.split(self.key(hidden_states)), self.split(self.value(hidden_states))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(attention_mask[:, None, None, :] == 0, -1e9)  # expect: ML205
        probs = self.dropout(scores.softmax(-1))
        ctx = (probs @ v).transpose(1, 2).flatten(2)
        return self.dense(ctx)


class ProteinEncoderLayer(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.attn = EagerSelfAttention(hidden, heads)
        self.ln1, self.ln2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden))

    def forward(self, x, attention_mask):
        x = x + self.attn(self.ln1(x), attention_mask)
        return x + self.ffn(self.ln2(x))


class ProteinMLM(nn.Module):
    def __init__(self, vocab=33, hidden=64, heads=4, layers=2, pad_idx=1):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden, padding_idx=pad_idx)
        self.layers = nn.ModuleList(ProteinEncoderLayer(hidden, heads) for _ in range(layers))
        self.lm_head = nn.Linear(hidden, vocab)

    def forward(self, tokens, attention_mask):
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x, attention_mask)
        return self.lm_head(x)


def mlm_step(model, tokens, attention_mask, mask_idx=32, p=0.15):
    corrupt = (torch.rand_like(tokens, dtype=torch.float) < p) & attention_mask.bool()
    inputs = tokens.masked_fill(corrupt, mask_idx)
    with torch.autocast("cpu", dtype=torch.float16):
        logits = model(inputs, attention_mask)
        loss = nn.functional.cross_entropy(logits[corrupt].float(), tokens[corrupt])
    return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ProteinMLM()
    toks = torch.randint(4, 30, (4, 40))
    am = torch.ones_like(toks)
    am[2:, 30:] = 0
    print(mlm_step(model, toks, am).item())
