import torch
import torch.nn as nn
import torch.nn.functional as F


class PaddedCausalLM(nn.Module):
    def __init__(self, vocab_size, d_model=32, n_heads=4, n_layers=2, max_len=64):
        super().__init__()
        self.n_heads = n_heads
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, n_heads, 4 * d_model, dropout=0.0, batch_first=True,
                                       norm_first=True)
            for _ in range(n_layers)
        )
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, ids, attention_mask=None):
        L = ids.size(1)
        h = self.tok(ids) + self.pos(torch.arange(L, device=ids.device))
        mask = None
        if attention_mask is not None:
            causal = torch.triu(torch.ones(L, L, dtype=torch.bool, device=ids.device), diagonal=1)
            mask = causal[None] | (attention_mask == 0)[:, None, :]
            mask = mask.repeat_interleave(self.n_heads, dim=0)
        for layer in self.layers:
            h = layer(h, src_mask=mask)  # expect: ML401
        return self.head(h)


def lm_loss(model, ids, attention_mask=None):
    logits = model(ids[:, :-1], None if attention_mask is None else attention_mask[:, :-1])
    target = ids[:, 1:].masked_fill(attention_mask[:, 1:] == 0, -100) if attention_mask is not None else ids[:, 1:]
    return F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PaddedCausalLM(vocab_size=40)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    packed = torch.randint(1, 40, (4, 16))
    for step in range(3):
        loss = lm_loss(model, packed)
        opt.zero_grad(); loss.backward(); opt.step()
        print("step", step, round(loss.item(), 4))
