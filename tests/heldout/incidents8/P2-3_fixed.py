import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=30522, d_model=64, nhead=4, num_layers=2, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embeddings = nn.Embedding(vocab_size, d_model, padding_idx=pad_token_id)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=128, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, input_ids, attention_mask):
        x = self.embeddings(input_ids)
        x = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        denom = attention_mask.sum(1, keepdim=True).clamp(min=1)
        return (x * attention_mask.unsqueeze(-1)).sum(1) / denom


def collate(batch_ids, pad_token_id=0):
    max_len = max(len(ids) for ids in batch_ids)
    input_ids = torch.full((len(batch_ids), max_len), pad_token_id, dtype=torch.long)
    attention_mask = torch.zeros((len(batch_ids), max_len), dtype=torch.long)
    for i, ids in enumerate(batch_ids):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention_mask[i, : len(ids)] = 1
    return input_ids, attention_mask


if __name__ == "__main__":
    model = SentenceEncoder()
    input_ids, attention_mask = collate([[101, 2023, 2003, 102], [101, 102]])
    model.eval()
    with torch.no_grad():
        emb = model(input_ids, attention_mask)
    print(emb.shape)
