import torch
import torch.nn.functional as F
from torch import nn


class HeadMaskedSelfAttention(nn.Module):
    """Graph self-attention where each head only sees the edges of its own relation type."""

    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x, head_mask):
        # head_mask: (B, H, N, N) adjacency per relation type, 1 = edge
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.n_heads, self.d_k).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        attn_scores_head = q @ k.transpose(-1, -2) / self.d_k ** 0.5
        attn_scores_head = attn_scores_head.masked_fill(head_mask == 0, -1e10)  # BUG
        attn = F.softmax(attn_scores_head, dim=-1)
        return self.out((attn @ v).transpose(1, 2).reshape(b, n, d))


def train_step(model, optimizer, x, adj, target, use_amp):
    optimizer.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.float16, enabled=use_amp):
        loss = F.mse_loss(model(x, adj), target)
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HeadMaskedSelfAttention()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, target = torch.randn(2, 5, 32), torch.randn(2, 5, 32)
    adj = (torch.rand(2, 4, 5, 5) > 0.5).long() | torch.eye(5, dtype=torch.long)
    print("fp32 loss:", round(train_step(model, opt, x, adj, target, use_amp=False), 4))
    print("amp loss:", round(train_step(model, opt, x, adj, target, use_amp=True), 4))
