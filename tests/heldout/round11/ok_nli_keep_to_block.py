"""Cross-encoder for natural-language inference over tokenized premise/hypothesis pairs."""
import torch
import torch.nn as nn


def collate(pairs, pad_id=0):
    width = max(len(p) for p in pairs)
    ids = torch.full((len(pairs), width), pad_id)
    attention_mask = torch.zeros(len(pairs), width, dtype=torch.long)
    for i, p in enumerate(pairs):
        ids[i, : len(p)] = torch.tensor(p)
        attention_mask[i, : len(p)] = 1
    return {"input_ids": ids, "is_real": attention_mask.bool()}


def to_blocked(keep: torch.Tensor) -> torch.Tensor:
    return keep.logical_not()


class NLICrossEncoder(nn.Module):
    def __init__(self, vocab=30000, d=128, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(512, d)
        enc = nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, depth)
        self.cls = nn.Linear(d, 3)

    def forward(self, batch):
        ids = batch["input_ids"]
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        x = self.encoder(x, src_key_padding_mask=to_blocked(batch["is_real"]))
        return self.cls(x[:, 0])


if __name__ == "__main__":
    pairs = [[101, 7, 8, 9, 102, 4, 5, 102], [101, 3, 102, 6, 102], [101, 11, 12, 102, 13, 14, 15, 16, 102]]
    batch = collate(pairs)
    model = NLICrossEncoder()
    print(model(batch).shape)
    model.eval()
    with torch.no_grad():
        print(model(batch).softmax(-1).shape)
