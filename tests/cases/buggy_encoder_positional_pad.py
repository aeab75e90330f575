"""Document encoder for retrieval (mean-pooled embeddings)."""
import torch.nn as nn


class DocEncoder(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4, depth=2, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.emb = nn.Embedding(vocab, dim, padding_idx=pad_token_id)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True), depth, enable_nested_tensor=False)

    def forward(self, input_ids):
        padding = input_ids == self.pad_token_id
        h = self.encoder(self.emb(input_ids), padding)  # expect: ML501
        keep = (~padding).unsqueeze(-1).float()
        return (h * keep).sum(1) / keep.sum(1).clamp(min=1.0)
