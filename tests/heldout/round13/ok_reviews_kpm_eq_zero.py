"""Product-review sentiment classifier fed by a Hugging Face tokenizer-style batch."""
import torch
import torch.nn as nn


class ReviewEncoder(nn.Module):
    def __init__(self, vocab=30522, d=128, nhead=4, layers=2, n_labels=5):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(512, d)
        layer = nn.TransformerEncoderLayer(d, nhead, 4 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d, n_labels)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos.weight[: input_ids.size(1)]
        # tokenizer masks are 1 = keep; nn.TransformerEncoder wants True = ignore
        h = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        return self.head(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = {
        "input_ids": torch.randint(1000, 30522, (4, 64)),
        "attention_mask": torch.ones(4, 64, dtype=torch.long),
    }
    batch["attention_mask"][1, 20:] = 0
    batch["attention_mask"][2, 45:] = 0
    batch["input_ids"] = batch["input_ids"] * batch["attention_mask"]
    model = ReviewEncoder()
    loss = nn.functional.cross_entropy(model(**batch), torch.tensor([4, 0, 2, 3]))
    loss.backward()
    model.eval()
    with torch.no_grad():  # eval takes the nested-tensor fast path
        print("train loss", round(loss.item(), 4), "eval preds", model(**batch).argmax(-1).tolist())
