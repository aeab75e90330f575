import torch
from torch import nn


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size=64, d_model=32, nhead=4, num_classes=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.cls = nn.Linear(d_model, num_classes)

    def forward(self, input_ids, attention_mask):
        padding_mask = attention_mask  # BUG
        h = self.encoder(self.emb(input_ids), src_key_padding_mask=padding_mask)
        return self.cls(h[:, 0])


def tokenize(batch_texts, vocab):
    ids = [[vocab.setdefault(w, len(vocab) + 1) for w in t.split()] for t in batch_texts]
    width = max(map(len, ids))
    input_ids = torch.tensor([x + [0] * (width - len(x)) for x in ids])
    attention_mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids])
    return input_ids, attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    vocab = {}
    input_ids, attention_mask = tokenize(["great movie", "not good at all"], vocab)
    model = ReviewClassifier()
    try:
        model.train()
        logits_train = model(input_ids, attention_mask)
        model.eval()
        with torch.no_grad():
            logits_eval = model(input_ids, attention_mask)
            other = input_ids.clone()
            other[0, 2:] = 17
            pad_effect = (model(other, attention_mask)[0] - logits_eval[0]).abs().max().item()
        msg = f"ran; eval pad sensitivity = {pad_effect:.4f}"
    except (AssertionError, RuntimeError) as err:
        msg = f"{type(err).__name__}: {err}"
    print(msg)
