"""torchTextClassifiers - label attention head.

Each label has a learned query that attends over the token embeddings of the
document; padded tokens must not contribute.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelAttentionClassifier(nn.Module):
    def __init__(self, embedding_dim: int, num_classes: int, n_head: int = 4):
        super().__init__()
        self.n_head = n_head
        self.head_dim = embedding_dim // n_head
        self.label_embeds = nn.Parameter(torch.randn(num_classes, embedding_dim) * 0.02)
        self.k_proj = nn.Linear(embedding_dim, embedding_dim)
        self.v_proj = nn.Linear(embedding_dim, embedding_dim)
        self.out = nn.Linear(embedding_dim, 1)

    def _split(self, t):
        b, n, _ = t.shape
        return t.view(b, n, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, token_embeddings, attention_mask=None):
        """attention_mask: (B, T), 1 for real tokens and 0 for padding (tokenizer output)."""
        b = token_embeddings.size(0)
        q = self._split(self.label_embeds.unsqueeze(0).expand(b, -1, -1))
        k = self._split(self.k_proj(token_embeddings))
        v = self._split(self.v_proj(token_embeddings))
        attn_mask = None
        if attention_mask is not None:
            attn_mask = (attention_mask == 0).unsqueeze(1).unsqueeze(2)  # BUG
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        y = y.transpose(1, 2).reshape(b, -1, self.n_head * self.head_dim)
        return self.out(y).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    head = LabelAttentionClassifier(embedding_dim=32, num_classes=3).eval()
    emb = torch.randn(2, 8, 32)
    mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3])
    emb2 = emb.clone()
    emb2[1, 5:] = torch.randn(3, 32) * 10
    with torch.no_grad():
        a, b = head(emb, mask), head(emb2, mask)
    print("logit change from padding content:", (a - b).abs().max().item())
