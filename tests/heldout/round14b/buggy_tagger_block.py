"""Streaming (left-to-right) named-entity tagger for live captions: each label may only use the past."""
import torch
import torch.nn as nn

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


class CharCNN(nn.Module):
    def __init__(self, n_chars=128, char_dim=16, out_dim=32):
        super().__init__()
        self.emb = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.conv = nn.Conv1d(char_dim, out_dim, kernel_size=3, padding=1)

    def forward(self, chars):                  # (B, T, W)
        B, T, W = chars.shape
        h = self.conv(self.emb(chars.view(B * T, W)).transpose(1, 2))
        return h.max(dim=-1).values.view(B, T, -1)


class CausalTaggerBlock(nn.Module):
    def __init__(self, d_model, n_heads, max_len=256, dropout=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))
        future = torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), diagonal=1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, x):
        T = x.size(1)
        h = self.norm1(x)
        a, _ = self.attn(h, h, h, self.future[:T, :T])  # expect: ML501
        x = x + a
        return x + self.mlp(self.norm2(x))


class StreamingTagger(nn.Module):
    def __init__(self, vocab_size=5000, word_dim=64, n_heads=4, n_layers=2):
        super().__init__()
        self.words = nn.Embedding(vocab_size, word_dim - 32, padding_idx=0)
        self.chars = CharCNN()
        self.blocks = nn.ModuleList(CausalTaggerBlock(word_dim, n_heads) for _ in range(n_layers))
        self.emissions = nn.Linear(word_dim, len(TAGS))

    def forward(self, word_ids, char_ids):
        x = torch.cat([self.words(word_ids), self.chars(char_ids)], dim=-1)
        for blk in self.blocks:
            x = blk(x)
        return self.emissions(x)


def encode(sentence, vocab):
    words = sentence.split()
    wid = torch.tensor([vocab.setdefault(w.lower(), len(vocab) + 1) for w in words])
    cid = torch.zeros(len(words), 12, dtype=torch.long)
    for i, w in enumerate(words):
        codes = [min(ord(c), 127) for c in w[:12]]
        cid[i, : len(codes)] = torch.tensor(codes)
    return wid, cid


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab = {}
    w1, c1 = encode("Angela Merkel met executives from Siemens in Munich", vocab)
    w2, c2 = encode("Apple opened a store in Paris today too", vocab)
    model = StreamingTagger()
    try:
        scores = model(torch.stack([w1, w2]), torch.stack([c1, c2]))
        print([TAGS[i] for i in scores[0].argmax(-1).tolist()])
    except (AssertionError, RuntimeError) as err:
        print("tagging failed:", err)
