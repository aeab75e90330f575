"""Line-item coder for supplier invoices: predicts a GL account for each line, reading the lines
above it (header lines first). Right-padded batches, additive masks combined with minimum()."""
import torch
import torch.nn as nn
import torch.nn.functional as F

GL_ACCOUNTS = ["5000-cogs", "6100-rent", "6200-utilities", "6300-software", "6400-travel", "6500-office", "2100-vat", "9999-review"]


def combined_bias(line_ids, pad_id, dtype=torch.float32):
    n = line_ids.size(1)
    blocked = torch.finfo(dtype).min
    future = torch.zeros(n, n, dtype=dtype, device=line_ids.device).masked_fill(
        torch.ones(n, n, dtype=torch.bool, device=line_ids.device).triu(1), blocked)
    padding = torch.where(line_ids.eq(pad_id), blocked, 0.0).to(dtype)
    return torch.minimum(future[None, None], padding[:, None, None, :])


class LineCoder(nn.Module):
    def __init__(self, n_desc_tokens=5000, d=64, heads=4, layers=2, pad_id=0):
        super().__init__()
        self.pad_id, self.heads = pad_id, heads
        self.desc = nn.EmbeddingBag(n_desc_tokens, d, mode="mean", padding_idx=pad_id)
        self.line = nn.Embedding(n_desc_tokens, d, padding_idx=pad_id)
        self.amount = nn.Linear(1, d)
        self.att = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(layers))
        self.proj = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.out = nn.Linear(d, len(GL_ACCOUNTS))

    def forward(self, line_ids, amounts):
        b, n = line_ids.shape
        x = self.line(line_ids) + self.amount(amounts.abs().log1p()[..., None])
        bias = combined_bias(line_ids, self.pad_id, x.dtype)
        for att, proj in zip(self.att, self.proj):
            q, k, v = att(F.layer_norm(x, x.shape[-1:])).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            x = x + proj(F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(b, n, -1))
        return self.out(x)


if __name__ == "__main__":
    lines = torch.tensor([[17, 230, 45, 9, 0, 0], [3, 3, 812, 77, 61, 5]])
    amounts = torch.tensor([[120.0, 15.5, 980.0, 20.0, 0, 0], [5.0, 5.0, 1200.0, 64.0, 31.0, 9.0]])
    labels = torch.randint(0, len(GL_ACCOUNTS), (2, 6)).masked_fill(lines == 0, -100)
    print(F.cross_entropy(LineCoder()(lines, amounts).transpose(1, 2), labels, ignore_index=-100))
