"""Topic classifier for news headlines + lead paragraphs (tokenizer output in, topic out)."""
import torch
import torch.nn.functional as F
from torch import nn


class HeadlineEncoderLayer(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.dropout = dropout
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.ln1 = nn.LayerNorm(dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        no_token = (attention_mask == 0).unsqueeze(1).unsqueeze(2)
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=no_token, dropout_p=p)  # expect: ML102
        x = x + self.out(y.transpose(1, 2).reshape(b, n, d))
        return x + self.ff(self.ln2(x))


class TopicClassifier(nn.Module):
    def __init__(self, vocab=30522, dim=64, heads=4, layers=2, n_topics=14):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(512, dim)
        self.layers = nn.ModuleList(HeadlineEncoderLayer(dim, heads) for _ in range(layers))
        self.cls = nn.Linear(dim, n_topics)

    def forward(self, input_ids, attention_mask):
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        for layer in self.layers:
            x = layer(x, attention_mask)
        return self.cls(x[:, 0])


def fake_tokenize(texts, vocab=30522, max_len=16):
    ids = torch.zeros(len(texts), max_len, dtype=torch.long)
    attention_mask = torch.zeros(len(texts), max_len, dtype=torch.long)
    for i, t in enumerate(texts):
        words = [101] + [hash(w) % (vocab - 1000) + 1000 for w in t.lower().split()][:max_len - 2] + [102]
        ids[i, :len(words)] = torch.tensor(words)
        attention_mask[i, :len(words)] = 1
    return {"input_ids": ids, "attention_mask": attention_mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = fake_tokenize(["Central bank holds rates steady", "Storm delays harvest across the plains region"])
    model = TopicClassifier().eval()
    print(model(**batch).argmax(-1))
