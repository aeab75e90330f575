"""Sentence encoder on top of a Hugging Face tokenizer output, using torch's own encoder."""
import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=1000, d=32, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, nhead, 4 * d, 0.0, batch_first=True), layers,
            enable_nested_tensor=False,
        )

    def forward(self, input_ids, attention_mask):
        device = self.emb.weight.device
        kpm = attention_mask.to(device=device, dtype=torch.bool)
        h = self.encoder(
            self.emb(input_ids.to(device)),
            src_key_padding_mask=kpm,  # expect: ML101
        )
        m = attention_mask.to(h.dtype).unsqueeze(-1)
        return (h * m).sum(1) / m.sum(1).clamp(min=1)


def embed(model, tokenizer, texts):
    enc = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    return model(enc["input_ids"], enc["attention_mask"])


if __name__ == "__main__":
    m = SentenceEncoder().train()
    ids = torch.tensor([[101, 7, 8, 102, 0], [101, 5, 6, 7, 102]])
    am = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    print(m(ids, am)[:, :3])
