"""Sentence-pair NLI classifier in the style of yg211/bert_nli: a small hand-written
BERT encoder (extended additive attention mask) and a batch-building function."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLS, SEP, PAD = 101, 102, 0


class BertLayer(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden))
        self.ln2 = nn.LayerNorm(hidden)

    def forward(self, x, extended_attention_mask):
        B, S, H = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, H // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (H // self.heads) ** 0.5 + extended_attention_mask
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, H)
        x = self.ln1(x + self.attn_out(ctx))
        return self.ln2(x + self.ffn(x))


class BertNLIModel(nn.Module):
    def __init__(self, vocab=200, hidden=32, heads=4, layers=2, label_num=3):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden, padding_idx=PAD)
        self.pos = nn.Embedding(64, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.layers = nn.ModuleList([BertLayer(hidden, heads) for _ in range(layers)])
        self.nli_head = nn.Linear(hidden, label_num)

    def forward(self, input_ids, token_type_ids, attention_mask):
        x = self.word(input_ids) + self.pos(torch.arange(input_ids.shape[1])) + self.token_type(token_type_ids)
        extended = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        for layer in self.layers:
            x = layer(x, extended)
        return self.nli_head(x[:, 0])


def build_batch(sent_pairs):
    encoded = [[CLS] + a + [SEP] + b + [SEP] for a, b in sent_pairs]
    types = [[0] * (len(a) + 2) + [1] * (len(b) + 1) for a, b in sent_pairs]
    max_len = max(len(e) for e in encoded)
    input_ids = torch.full((len(encoded), max_len), PAD, dtype=torch.long)
    token_type_ids = torch.zeros(len(encoded), max_len, dtype=torch.long)
    attention_mask = torch.zeros(len(encoded), max_len, dtype=torch.long)
    for i, (ids, tt) in enumerate(zip(encoded, types)):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        token_type_ids[i, : len(tt)] = torch.tensor(tt)
        attention_mask[i, : len(ids)] = 1
    return input_ids, token_type_ids, attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    pairs = [([7, 8, 9], [10, 11]), ([12, 13, 14, 15, 16, 17], [18, 19, 20, 21]), ([22], [23])]
    labels = torch.tensor([0, 2, 1])
    input_ids, token_type_ids, attention_mask = build_batch(pairs)
    logits = model(input_ids, token_type_ids, attention_mask)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print("loss", loss.item())
