import torch
from torch import nn

VOCAB = 1000
PAD = 0


class SentenceEncoder(nn.Module):
    def __init__(self, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, d_model, padding_idx=PAD)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=128, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.classifier = nn.Linear(d_model, 2)

    def forward(self, input_ids, src_key_padding_mask):
        h = self.encoder(self.embedding(input_ids), src_key_padding_mask=src_key_padding_mask)  # BUG
        keep = (input_ids != PAD).unsqueeze(-1).float()
        return self.classifier((h * keep).sum(1) / keep.sum(1))


def collate(batch_tokens):
    max_len = max(len(t) for t in batch_tokens)
    input_ids = torch.full((len(batch_tokens), max_len), PAD, dtype=torch.long)
    attention_mask = torch.zeros((len(batch_tokens), max_len), dtype=torch.long)
    for i, toks in enumerate(batch_tokens):
        input_ids[i, : len(toks)] = torch.tensor(toks)
        attention_mask[i, : len(toks)] = 1
    return input_ids, attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SentenceEncoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    samples = [[5, 17, 230, 8], [44, 9], [1, 2, 3], [77, 78, 79, 80, 81]]
    labels = torch.tensor([1, 0, 0, 1])

    input_ids, attention_mask = collate(samples)
    for epoch in range(3):
        model.train()
        logits = model(input_ids, attention_mask)  # BUG
        loss = nn.functional.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")

    model.eval()
    with torch.no_grad():
        preds = model(input_ids, attention_mask).argmax(-1)  # BUG
    print("predictions:", preds.tolist())
