# EXPECT: ok
"""RoBERTa-like classifier on nn.MultiheadAttention, fed a tokenizer batch (1 = real token)."""
import torch
import torch.nn as nn


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(hidden, heads, dropout=p, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.GELU(), nn.Linear(2 * hidden, hidden))
        self.drop = nn.Dropout(p)

    def forward(self, x, attention_mask):
        # nn.MultiheadAttention wants True where a key must be ignored
        key_padding_mask = attention_mask == 0
        a, _ = self.self_attn(x, x, x, key_padding_mask=key_padding_mask)
        x = self.ln1(x + self.drop(a))
        return self.ln2(x + self.drop(self.ffn(x)))


class RobertaLike(nn.Module):
    def __init__(self, vocab=100, hidden=32, heads=4, layers=2, p=0.1, num_labels=3):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, hidden, padding_idx=1)
        self.positions = nn.Embedding(40, hidden)
        self.layers = nn.ModuleList([EncoderLayer(hidden, heads, p) for _ in range(layers)])
        self.dense = nn.Linear(hidden, hidden)
        self.out_proj = nn.Linear(hidden, num_labels)
        self.drop = nn.Dropout(p)

    def forward(self, input_ids, attention_mask):
        x = self.drop(self.embeddings(input_ids) + self.positions(torch.arange(input_ids.size(1))))
        for layer in self.layers:
            x = layer(x, attention_mask)
        cls = x[:, 0]
        return self.out_proj(self.drop(torch.tanh(self.dense(self.drop(cls)))))


def collate(lengths, max_len, vocab=100, pad_id=1):
    ids = torch.full((len(lengths), max_len), pad_id)
    am = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(3, vocab, (n,))
        ids[i, 0] = 0
        am[i, :n] = 1
    return {"input_ids": ids, "attention_mask": am}


def run():
    torch.manual_seed(0)
    model = RobertaLike()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4)
    batch = collate([11, 5, 8, 11], 11)
    labels = torch.tensor([2, 0, 1, 1])
    model.train()
    loss = nn.functional.cross_entropy(model(**batch), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(**batch)
    return [loss.detach(), ev]
