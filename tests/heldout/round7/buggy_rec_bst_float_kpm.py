"""Behaviour Sequence Transformer for CTR prediction: the candidate item is
appended to the user's click history, a transformer encodes the sequence and an
MLP scores the click probability. Small trainer loop included."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class BST(nn.Module):
    def __init__(self, n_items=40, d=16, heads=2, max_len=8):
        super().__init__()
        self.item = nn.Embedding(n_items, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len + 1, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True), 1)
        self.mlp = nn.Sequential(nn.Linear(d * (max_len + 1), 32), nn.LeakyReLU(), nn.Linear(32, 1))

    def forward(self, history, target):
        seq = torch.cat([history, target[:, None]], dim=1)
        x = self.item(seq) + self.pos.weight[None, : seq.size(1)]
        pad_mask = (seq == PAD).float()
        h = self.encoder(x, src_key_padding_mask=pad_mask)  # expect: ML201
        h = h * (1.0 - pad_mask).unsqueeze(-1)
        return self.mlp(h.flatten(1)).squeeze(-1)


def train_epoch(model, opt, batches):
    model.train()
    for history, target, click in batches:
        loss = F.binary_cross_entropy_with_logits(model(history, target), click)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BST()
    opt = torch.optim.Adam(model.parameters(), 1e-2)
    hist = torch.tensor([[0, 0, 0, 0, 5, 6, 7, 8], [0, 0, 0, 0, 0, 0, 3, 9]])
    batches = [(hist, torch.tensor([10, 11]), torch.tensor([1.0, 0.0]))]
    print("loss", train_epoch(model, opt, batches))
    # padding invariance: change only the (frozen) PAD embedding row
    model.train()
    with torch.no_grad():
        a = model(hist, torch.tensor([10, 11]))
        model.item.weight[PAD] = 3.0
        b = model(hist, torch.tensor([10, 11]))
    moved = (a - b).abs().max().item()
    print("CTR logits moved by the PAD embedding (train mode):", moved)
    assert moved > 1e-3
