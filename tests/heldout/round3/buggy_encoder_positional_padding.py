"""Named-entity tagger: transformer encoder over word pieces with a
token-classification head."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class NERTagger(nn.Module):
    def __init__(self, vocab_size, num_tags, d_model=256, nhead=8, num_layers=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(512, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
            for _ in range(num_layers)
        )
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(d_model, num_tags)

    def forward(self, token_ids):
        padding_mask = token_ids == self.pad_id  # (B, S), True on padding
        positions = torch.arange(token_ids.size(1), device=token_ids.device)
        h = self.embed(token_ids) + self.pos(positions)
        for layer in self.layers:
            h = layer(
                h,
                padding_mask,  # expect: ML501
            )
        return self.classifier(self.dropout(h))

    def loss(self, token_ids, tags):
        logits = self(token_ids)
        tags = tags.masked_fill(token_ids == self.pad_id, -100)
        return F.cross_entropy(logits.view(-1, logits.size(-1)), tags.view(-1), ignore_index=-100)


def evaluate(model, loader, device):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for token_ids, tags in loader:
            token_ids, tags = token_ids.to(device), tags.to(device)
            pred = model(token_ids).argmax(-1)
            keep = token_ids != model.pad_id
            correct += (pred[keep] == tags[keep]).sum().item()
            total += keep.sum().item()
    return correct / max(total, 1)
