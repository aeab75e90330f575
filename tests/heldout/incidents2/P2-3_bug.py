import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size: int = 30522, d_model: int = 256, nhead: int = 8, num_layers: int = 3):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, d_model)
        self.position = nn.Embedding(512, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=1024, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        hidden = self.embeddings(input_ids) + self.position(positions)
        hidden = self.encoder(hidden, src_key_padding_mask=attention_mask)  # BUG: int64 mask, 1 = real token
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def encode_batch(model: SentenceEncoder, batch: dict) -> torch.Tensor:
    return model(batch["input_ids"], batch["attention_mask"])


if __name__ == "__main__":
    model = SentenceEncoder()
    batch = {
        "input_ids": torch.tensor([[101, 2023, 102, 0], [101, 2003, 1037, 102]]),
        "attention_mask": torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]]),
    }
    model.train()
    emb_train = encode_batch(model, batch)
    model.eval()
    with torch.no_grad():
        emb_eval = encode_batch(model, batch)
    print(emb_train.shape, emb_eval.shape)
