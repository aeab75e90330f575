"""Early-delinquency model for mortgage servicing: a loan's monthly servicing events form a sequence.
Padding is passed to MultiheadAttention as a float key padding mask with -inf on padded months."""
import torch
import torch.nn as nn

EVENTS = ["<pad>", "paid_on_time", "paid_late_15", "paid_late_30", "partial", "escrow_shortage", "forbearance",
          "modification", "nsf_return", "contact_made", "no_contact"]


class LoanEncoder(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        self.event = nn.Embedding(len(EVENTS), d, padding_idx=0)
        self.money = nn.Linear(3, d)  # upb, payment due, payment received (scaled)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, 1)

    def forward(self, events, money):
        is_pad = events.eq(0)
        pad_bias = torch.zeros(events.shape, dtype=money.dtype, device=events.device).masked_fill(is_pad, float("-inf"))
        x = self.event(events) + self.money(money)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, x, x, key_padding_mask=pad_bias, need_weights=False)[0])
        x = x.masked_fill(is_pad.unsqueeze(-1), 0.0)
        return self.out(x.sum(1) / (~is_pad).sum(1, keepdim=True)).squeeze(-1)


if __name__ == "__main__":
    events = torch.tensor([[1, 1, 2, 3, 9, 10], [1, 1, 1, 0, 0, 0]])
    money = torch.rand(2, 6, 3)
    target = torch.tensor([1.0, 0.0])
    loss = nn.functional.binary_cross_entropy_with_logits(LoanEncoder()(events, money), target)
    print(loss.item())
