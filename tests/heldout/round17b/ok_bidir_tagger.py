"""Cause-effect relation extraction from news sentences (tags CAUSE / EFFECT spans)."""
import torch
from torch import nn

LABELS = ["O", "B-CAUSE", "I-CAUSE", "B-EFFECT", "I-EFFECT"]


class CausalRelationExtractor(nn.Module):
    """Bidirectional encoder: a token's label depends on words on both sides."""

    def __init__(self, vocab=20000, dim=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(128, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.tagger = nn.Linear(dim, len(LABELS))

    def forward(self, tokens):
        x = self.emb(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        h = self.encoder(x, src_key_padding_mask=tokens == 0)
        return self.tagger(h)

    def decode_spans(self, tokens):
        tags = self.forward(tokens).argmax(-1)
        spans = []
        for row in tags.tolist():
            spans.append([(i, LABELS[t]) for i, t in enumerate(row) if LABELS[t].startswith("B-")])
        return spans


def training_step(model, opt, tokens, labels):
    logits = model(tokens)
    loss = nn.functional.cross_entropy(logits[tokens != 0], labels[tokens != 0])
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    tokens = torch.randint(1, 20000, (4, 16))
    tokens[2, 10:] = 0
    labels = torch.randint(0, len(LABELS), (4, 16))
    model = CausalRelationExtractor()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    print(training_step(model, opt, tokens, labels))
