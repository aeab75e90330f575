import torch
from torch import nn

from .data import CONNECTORS


class ChargerFaultModel(nn.Module):
    def __init__(self, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.connector = nn.Embedding(len(CONNECTORS), d_model)
        self.numeric = nn.Linear(4, d_model)
        self.cls = nn.Parameter(torch.zeros(1, 1, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 1)

    def forward(self, connector, numeric, padding_mask):
        x = self.connector(connector) + self.numeric(numeric)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)
        cls_pad = torch.zeros(x.size(0), 1, dtype=torch.bool, device=x.device)
        mask = torch.cat([cls_pad, padding_mask], dim=1)
        h = self.encoder(x, src_key_padding_mask=mask)
        return self.head(h[:, 0]).squeeze(-1)
