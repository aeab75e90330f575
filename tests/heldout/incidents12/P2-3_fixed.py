import torch
import torch.nn as nn


class TinyTokenizer:
    def __init__(self, vocab):
        self.vocab = {w: i + 1 for i, w in enumerate(vocab)}

    def __call__(self, sentences):
        ids = [[self.vocab[w] for w in s.split()] for s in sentences]
        max_len = max(len(x) for x in ids)
        input_ids = torch.tensor([x + [0] * (max_len - len(x)) for x in ids])
        attention_mask = torch.tensor([[1] * len(x) + [0] * (max_len - len(x)) for x in ids])
        return {"input_ids": input_ids, "attention_mask": attention_mask}


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 2)

    def forward(self, input_ids, attention_mask):
        h = self.encoder(self.embed(input_ids), src_key_padding_mask=attention_mask == 0)
        return self.head(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    words = "the film was great awful plot acting fine".split()
    tok = TinyTokenizer(words)
    batch = tok(["the film was great", "awful plot"])
    model = ReviewClassifier(len(words) + 1)
    try:
        logits = model(batch["input_ids"], batch["attention_mask"])
        other = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, 5)
        d = (logits - model(other, batch["attention_mask"])).abs().max().item()
        print(f"ok: logit change when pad ids change = {d:.4f}")
    except (AssertionError, RuntimeError) as e:
        print(f"{type(e).__name__}: {e}")
