"""Music auto-tagging from discrete audio tokens (codec frames of clips of
different durations): bidirectional encoder, masked mean pooling, multi-label
head. The encoder is wrapped so the pooling can reuse the padding mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

TAGS = ["rock", "jazz", "piano", "vocal", "drums"]


class ClipTagger(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(256, d) * 0.02)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True), layers,
            enable_nested_tensor=False)
        self.head = nn.Linear(d, len(TAGS))

    def forward(self, tokens, frames):
        T = tokens.size(1)
        key_pad = torch.arange(T)[None] >= frames[:, None]
        h = self.tok(tokens) + self.pos[:T]
        h = self.encoder(h, key_pad)  # expect: ML501
        keep = (~key_pad).unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1)
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ClipTagger()
    tokens = torch.randint(0, 64, (3, 12))
    frames = torch.tensor([12, 9, 5])
    targets = torch.tensor([[1, 0, 0, 1, 1], [0, 1, 1, 0, 0], [0, 0, 1, 0, 0]], dtype=torch.float)
    try:
        loss = F.binary_cross_entropy_with_logits(model(tokens, frames), targets)
        print("loss:", loss.item())
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, e)
