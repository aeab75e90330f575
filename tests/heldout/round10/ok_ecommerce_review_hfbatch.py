"""Review-rating regressor fed by a Hugging Face-tokenizer-shaped batch dict, encoder from torch.nn."""
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F


def fake_tokenize(texts, vocab=5000, max_length=32):
    """Mimics tokenizer(texts, padding=True, return_tensors='pt')."""
    ids = [[101] + [zlib.crc32(w.encode()) % (vocab - 200) + 200 for w in t.split()][: max_length - 2] + [102] for t in texts]
    n = max(map(len, ids))
    return {
        "input_ids": torch.tensor([x + [0] * (n - len(x)) for x in ids]),
        "attention_mask": torch.tensor([[1] * len(x) + [0] * (n - len(x)) for x in ids]),
    }


class ReviewRater(nn.Module):
    def __init__(self, vocab=5000, d=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.word = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1, batch_first=True), layers, enable_nested_tensor=False)
        self.pool_query = nn.Parameter(torch.randn(1, heads, 1, d // heads))
        self.heads = heads
        self.kv = nn.Linear(d, 2 * d)
        self.out = nn.Linear(d, 1)

    def forward(self, input_ids, attention_mask):
        B, S = input_ids.shape
        x = self.word(input_ids) + self.pos(torch.arange(S, device=input_ids.device))
        x = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        k, v = self.kv(x).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = attention_mask.bool()[:, None, None, :]
        pooled = F.scaled_dot_product_attention(self.pool_query.expand(B, -1, -1, -1), k, v, attn_mask=keep)
        return 1 + 4 * torch.sigmoid(self.out(pooled.reshape(B, -1))).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = fake_tokenize(["great blender, crushed ice in seconds",
                           "arrived broken",
                           "fine for the price but the lid leaks a little when full"])
    model = ReviewRater()
    stars = model(**batch)
    loss = F.mse_loss(stars, torch.tensor([5.0, 1.0, 3.0]))
    loss.backward()
    print(stars.detach(), loss.item())
