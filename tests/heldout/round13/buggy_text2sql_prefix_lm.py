"""Prefix-LM for text-to-SQL: the schema + question prefix is encoded bidirectionally,
the SQL continuation autoregressively (T5-style prefix LM on one Transformer stack)."""
import torch
import torch.nn as nn


def prefix_lm_mask(prefix_len: torch.Tensor, total: int) -> torch.Tensor:
    """(L, S) bool mask shared by the batch (one fixed prefix length); True = blocked."""
    i = torch.arange(total)[:, None]
    j = torch.arange(total)[None, :]
    blocked = j > i
    blocked &= ~(j < prefix_len)  # the prefix is visible to everyone
    return blocked


class PrefixLM(nn.Module):
    def __init__(self, vocab=8000, d_model=192, nhead=6, layers=4, dropout=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(512, d_model)
        block = nn.TransformerEncoderLayer(d_model, nhead, 768, dropout, batch_first=True, norm_first=True)
        self.stack = nn.TransformerEncoder(block, layers)
        self.lm = nn.Linear(d_model, vocab)

    def forward(self, tokens, prefix_len):
        x = self.emb(tokens) + self.pos.weight[: tokens.size(1)]
        mask = prefix_lm_mask(prefix_len, tokens.size(1))
        h = self.stack(x, mask=mask, is_causal=True)  # expect: ML402
        return self.lm(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    prefix = torch.tensor(40)      # schema + question, padded to a fixed 40-token prefix
    tokens = torch.randint(0, 8000, (6, 72))
    model = PrefixLM()
    logits = model(tokens[:, :-1], prefix)
    # loss only on the SQL part
    loss = nn.functional.cross_entropy(logits[:, prefix - 1:].reshape(-1, 8000), tokens[:, prefix:].reshape(-1))
    loss.backward()
    print("sql nll", round(loss.item(), 4))
