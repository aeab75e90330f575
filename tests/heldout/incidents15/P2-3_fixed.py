import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, vocab_size=30, d_model=16, nhead=2, num_layers=2, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, num_classes)

    def forward(self, input_ids, attention_mask):
        src_key_padding_mask = attention_mask == 0  # BUG
        h = self.encoder(self.embedding(input_ids), src_key_padding_mask=src_key_padding_mask)
        keep = attention_mask.unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))


def collate(batch, pad_id=0):
    max_len = max(len(x) for x in batch)
    input_ids = torch.full((len(batch), max_len), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(batch), max_len), dtype=torch.long)
    for i, seq in enumerate(batch):
        input_ids[i, :len(seq)] = torch.tensor(seq)
        attention_mask[i, :len(seq)] = 1
    return input_ids, attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Classifier()
    input_ids, attention_mask = collate([[3, 4], [5, 6, 7, 8]])
    try:
        model.train()
        train_logits = model(input_ids, attention_mask)
        model.eval()
        with torch.no_grad():
            eval_logits = model(input_ids, attention_mask)
        print(f"train vs eval logits diff: {(train_logits - eval_logits).abs().max().item():.4f}")
    except (AssertionError, RuntimeError) as e:
        print(f"{type(e).__name__}: {e}")
