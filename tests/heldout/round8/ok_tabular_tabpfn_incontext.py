"""TabPFN-style in-context tabular classifier.

One "sequence" = the labelled training rows followed by unlabelled test rows.
Training rows attend to each other; test rows attend to training rows only
(never to other test rows, so predictions do not depend on which other test
rows were batched).  nn.MultiheadAttention boolean attn_mask: True = blocked."""
import torch
import torch.nn as nn


def incontext_blocked_mask(n_train: int, n_test: int) -> torch.Tensor:
    L = n_train + n_test
    blocked = torch.zeros(L, L, dtype=torch.bool)
    blocked[:, n_train:] = True  # nobody attends to test rows ...
    idx = torch.arange(n_train, L)
    blocked[idx, idx] = False  # ... except each test row to itself
    return blocked


class TabPFNLite(nn.Module):
    def __init__(self, n_features=10, n_classes=3, dim=64, heads=4, layers=3):
        super().__init__()
        self.x_enc = nn.Linear(n_features, dim)
        self.y_enc = nn.Embedding(n_classes, dim)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True) for _ in range(layers)
        )
        self.head = nn.Linear(dim, n_classes)

    def forward(self, x_train, y_train, x_test):
        n_tr, n_te = x_train.size(1), x_test.size(1)
        tr = self.x_enc(x_train) + self.y_enc(y_train)
        te = self.x_enc(x_test)
        h = torch.cat([tr, te], dim=1)
        mask = incontext_blocked_mask(n_tr, n_te).to(h.device)
        for layer in self.layers:
            h = layer(h, src_mask=mask)
        return self.head(h[:, n_tr:])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TabPFNLite().eval()
    x_tr, y_tr = torch.randn(2, 20, 10), torch.randint(0, 3, (2, 20))
    x_te = torch.randn(2, 6, 10)
    with torch.no_grad():
        all_test = model(x_tr, y_tr, x_te)
        one = model(x_tr, y_tr, x_te[:, 2:3])
        x_te2 = x_te.clone()
        x_te2[:, 3:] = 9.0
        changed_others = model(x_tr, y_tr, x_te2)
    assert torch.allclose(all_test[:, 2], one[:, 0], atol=1e-5)
    assert torch.allclose(all_test[:, :3], changed_others[:, :3], atol=1e-5)
    assert not torch.isnan(all_test).any()
    print("OK: test rows only see training rows (and themselves)")
