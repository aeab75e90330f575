import torch
import torch.nn as nn

from .masks import future_mask, lengths_to_padding


class PatientTrajectoryModel(nn.Module):
    """Predicts the next visit's lab values from the visit history."""

    def __init__(self, n_labs=12, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(n_labs + 1, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, n_labs)

    def forward(self, labs, delta_t, lengths):
        x = self.inp(torch.cat([labs, delta_t.unsqueeze(-1)], -1))
        n = x.size(1)
        h = self.encoder(x, mask=future_mask(n, x.device), src_key_padding_mask=lengths_to_padding(lengths, n))
        return self.out(h)

    def loss(self, labs, delta_t, lengths):
        pred = self(labs, delta_t, lengths)[:, :-1]
        valid = lengths_to_padding(lengths, labs.size(1))[:, 1:].logical_not()
        return ((pred - labs[:, 1:]) ** 2).mean(-1)[valid].mean()


if __name__ == "__main__":
    labs = torch.randn(3, 10, 12)
    print(PatientTrajectoryModel()(labs, torch.rand(3, 10), torch.tensor([10, 7, 4])).shape)
