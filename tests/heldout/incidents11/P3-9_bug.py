import torch
import torch.nn as nn


class AttentionPoolHead(nn.Module):
    """A learned query attends over the patch tokens of each image."""

    def __init__(self, dim, num_heads, num_classes):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, tokens, key_padding_mask=None):
        B = tokens.shape[0]
        q = self.query  # BUG
        pooled, _ = self.attn(q, tokens, tokens, key_padding_mask=key_padding_mask)
        return self.fc(self.norm(pooled[:, 0]))


if __name__ == "__main__":
    torch.manual_seed(0)
    head = AttentionPoolHead(dim=32, num_heads=1, num_classes=5)
    tokens = torch.randn(4, 49, 32)
    kpm = torch.zeros(4, 49, dtype=torch.bool)
    kpm[2, 40:] = True
    try:
        logits = head(tokens, kpm)
        print(f"logits shape {tuple(logits.shape)}")
    except (AssertionError, RuntimeError) as e:
        print(f"raised {type(e).__name__}: {e}")
