import torch
from torch import nn


class PackedRetrieverEncoder(nn.Module):
    """Several passages packed into one row; tokens may only see their own passage."""

    def __init__(self, vocab_size=1000, hidden=64, heads=4, layers=2, pad_token_id=0):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab_size, hidden, padding_idx=pad_token_id)
        self.pos = nn.Embedding(256, hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 2 * hidden, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, input_ids, attention_mask, document_ids):
        n = input_ids.size(1)
        keep = (document_ids[:, :, None] == document_ids[:, None, :]) & attention_mask.bool()[:, None, :]
        keep = keep | torch.eye(n, dtype=torch.bool, device=input_ids.device)
        blocked = torch.logical_not(keep).repeat_interleave(self.heads, dim=0)
        x = self.embed(input_ids) + self.pos.weight[:n]
        return self.encoder(x, mask=blocked)


if __name__ == "__main__":
    ids = torch.randint(1, 1000, (2, 12))
    am = torch.ones_like(ids)
    am[1, 9:] = 0
    docs = torch.tensor([[0] * 5 + [1] * 7, [0] * 4 + [1] * 5 + [2] * 3])
    print(PackedRetrieverEncoder()(ids, am, docs).shape)
