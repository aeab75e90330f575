"""Sentence encoder over tokenizer output: the HF keep-mask is flipped with `== 0` for torch."""
import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=1000, d=32, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 2)

    def forward(self, input_ids, attention_mask):
        device = self.emb.weight.device
        attention_mask = attention_mask.to(device)
        h = self.encoder(self.emb(input_ids.to(device)), src_key_padding_mask=attention_mask == 0)
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h.nan_to_num() * m).sum(1) / m.sum(1)


def embed(model, tokenizer, texts):
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    return model(**{k: enc[k] for k in ("input_ids", "attention_mask")})


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SentenceEncoder()
    ids = torch.tensor([[101, 7, 8, 102, 0], [101, 5, 6, 7, 102]])
    am = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    for mode in (m.train, m.eval):
        mode()
        with torch.no_grad():
            assert torch.allclose(m(ids, am)[0], m(ids[:1, :4], am[:1, :4])[0], atol=1e-5)
    print("tokenizer mask ok")
