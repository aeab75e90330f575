import torch
from torch import nn


def collate(batch, pad_id=0):
    """Pad a list of token-id lists; returns a dict like a HF tokenizer would."""
    max_len = max(len(x) for x in batch)
    input_ids = torch.full((len(batch), max_len), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(batch), max_len), dtype=torch.long)
    for i, ids in enumerate(batch):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention_mask[i, : len(ids)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class TextClassifier(nn.Module):
    def __init__(self, vocab_size=100, d_model=32, nhead=4, num_layers=2, num_classes=3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.cls = nn.Linear(d_model, num_classes)

    def forward(self, input_ids, attention_mask):
        h = self.encoder(self.embed(input_ids), src_key_padding_mask=attention_mask)  # BUG
        keep = attention_mask.unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1)
        return self.cls(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextClassifier()
    batch = collate([[5, 17, 42, 8], [9, 3], [11, 12, 13]])
    print(batch["attention_mask"])

    model.train()
    train_logits = model(**batch)
    model.eval()
    with torch.no_grad():
        eval_logits = model(**batch)
    print(train_logits.shape, eval_logits.shape)
