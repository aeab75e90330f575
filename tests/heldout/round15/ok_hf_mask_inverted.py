"""Tweet sentiment classifier over a tokenizer's (input_ids, attention_mask) output."""
import torch
from torch import nn


class FakeTokenizer:
    """Returns what a Hugging Face tokenizer returns with padding=True, return_tensors='pt'."""

    def __call__(self, texts):
        rows = [[101] + [1000 + sum(map(ord, w)) % 2000 for w in t.split()] + [102] for t in texts]
        L = max(map(len, rows))
        return {
            "input_ids": torch.tensor([r + [0] * (L - len(r)) for r in rows]),
            "attention_mask": torch.tensor([[1] * len(r) + [0] * (L - len(r)) for r in rows]),
        }


class SentimentEncoder(nn.Module):
    def __init__(self, vocab=3100, dim=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(128, dim)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, 128, 0.0, batch_first=True), layers)
        self.cls = nn.Linear(dim, 3)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        x = self.enc(x, src_key_padding_mask=attention_mask == 0)
        return self.cls(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = FakeTokenizer()(["what a great match", "meh", "worst service ever , never again"])
    model = SentimentEncoder()
    print("train", model(**batch).argmax(-1).tolist())
    with torch.no_grad():
        print("eval ", model.eval()(**batch).argmax(-1).tolist())
