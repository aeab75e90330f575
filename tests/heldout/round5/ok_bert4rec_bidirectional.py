"""BERT4Rec: masked-item objective, bidirectional on purpose; padding passed as a bool mask."""
import torch
import torch.nn as nn


class Bert4Rec(nn.Module):
    def __init__(self, n_items=1000, d=64, heads=2, layers=2, max_len=50):
        super().__init__()
        self.items = nn.Embedding(n_items + 2, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, "gelu", batch_first=True), layers)
        self.out = nn.Linear(d, n_items + 2)

    def forward(self, seq, attention_mask):
        x = self.items(seq) + self.pos.weight[: seq.size(1)]
        x = self.enc(x, src_key_padding_mask=~attention_mask.bool())
        return self.out(x)


def cloze_mask(seq, mask_token, p=0.15):
    chosen = (torch.rand(seq.shape) < p) & (seq != 0)
    labels = torch.where(chosen, seq, torch.full_like(seq, -100))
    return seq.masked_fill(chosen, mask_token), labels


def train_step(model, opt, seq, mask_token=1001):
    inp, labels = cloze_mask(seq, mask_token)
    logits = model(inp, (seq != 0).long())
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    seq = torch.randint(1, 1000, (3, 50)); seq[0, :30] = 0
    print(Bert4Rec()(seq, (seq != 0).long()).shape)
