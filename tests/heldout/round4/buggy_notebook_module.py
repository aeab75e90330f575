"""Review-sentiment encoder; the bottom of the file is a smoke test run in CI."""
import torch
import torch.nn as nn

PAD = 0
CLS = 1


class SentimentEncoder(nn.Module):
    def __init__(self, vocab_size=10000, d_model=128, nhead=4, num_layers=2, n_labels=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.position = nn.Embedding(512, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 256, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.classifier = nn.Sequential(nn.Dropout(0.1), nn.Linear(d_model, n_labels))

    def forward(self, token_ids, key_padding_mask=None):
        positions = torch.arange(token_ids.size(1), device=token_ids.device)
        x = self.embedding(token_ids) + self.position(positions)
        x = self.encoder(x, src_key_padding_mask=key_padding_mask)
        return self.classifier(x[:, 0])                      # [CLS] token


def encode(texts, vocab, max_len=32):
    rows = []
    for t in texts:
        ids = [CLS] + [vocab.get(w, 2) for w in t.lower().split()][: max_len - 1]
        rows.append(ids + [PAD] * (max_len - len(ids)))
    return torch.tensor(rows)


def smoke_test():
    vocab = {w: i + 3 for i, w in enumerate("the movie was great awful boring fine".split())}
    ids = encode(["the movie was great", "awful", "boring but fine"], vocab, max_len=8)
    m = SentimentEncoder(vocab_size=len(vocab) + 3)
    m.train()
    logits = m(ids, ids != PAD)  # expect: ML101
    assert logits.shape == (3, 3)
    loss = nn.functional.cross_entropy(logits, torch.tensor([2, 0, 1]))
    loss.backward()
    print("ok", loss.item())


if __name__ == "__main__":
    smoke_test()
