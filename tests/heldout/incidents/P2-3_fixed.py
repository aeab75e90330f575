import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    """Encodes tokenizer output ({"input_ids", "attention_mask"}) with nn.TransformerEncoder."""

    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=16, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)

    def forward(self, batch):
        input_ids = batch["input_ids"]
        attention_mask = batch["attention_mask"]  # LongTensor, 1 = real token, 0 = padding
        h = self.embed(input_ids)
        h = self.encoder(h, src_key_padding_mask=attention_mask == 0)
        mask = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def run():
    model = SentenceEncoder(vocab_size=30)
    batch = {
        "input_ids": torch.tensor([[2, 7, 9, 4, 3], [2, 8, 3, 0, 0]]),
        "attention_mask": torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]),
    }
    model.train()
    return model(batch)
