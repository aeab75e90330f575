import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def collate(batch, pad_id=0):
    lengths = [len(seq) for seq, _ in batch]
    max_len = max(lengths)
    tokens = torch.full((len(batch), max_len), pad_id, dtype=torch.long)
    padding_mask = torch.ones(len(batch), max_len)  # BUG
    for i, (seq, _) in enumerate(batch):
        tokens[i, : len(seq)] = torch.as_tensor(seq)
        padding_mask[i, len(seq):] = 0.0  # BUG
    labels = torch.tensor([y for _, y in batch])
    return tokens, padding_mask, labels


class SentenceClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_classes=3):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, batch_first=True)
        self.cls = nn.Linear(d_model, num_classes)

    def forward(self, tokens, padding_mask):
        h = self.layer(self.emb(tokens), src_key_padding_mask=padding_mask)
        return self.cls(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    data = [([5, 6, 7, 8], 0), ([9, 3], 1), ([4, 4, 2], 2)]
    loader = DataLoader(data, batch_size=3, collate_fn=collate)
    model = SentenceClassifier(vocab_size=20)
    for tokens, mask, labels in loader:
        loss = nn.functional.cross_entropy(model(tokens, mask), labels)
        loss.backward()
        model.eval()
        with torch.no_grad():
            print(loss.item(), model(tokens, mask).shape)
