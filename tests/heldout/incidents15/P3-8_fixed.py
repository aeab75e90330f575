import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=100):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[:, :x.size(1)]


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab_size, d_model=16, nhead=2, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos_encoder = PositionalEncoding(d_model)
        encoder_layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=32,
                                                   dropout=0.0, batch_first=True)  # BUG
        self.transformer_encoder = nn.TransformerEncoder(encoder_layer, num_layers=num_layers,
                                                         enable_nested_tensor=False)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, src):
        # src: (batch, seq_len) of SMILES token ids
        embedded = self.pos_encoder(self.embedding(src))
        output = self.transformer_encoder(embedded)
        return self.fc_out(output)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeGenerator(vocab_size=30).train()
    smiles_batch = torch.randint(1, 30, (4, 4))
    logits = model(smiles_batch)
    other = smiles_batch.clone()
    other[1:] = torch.randint(1, 30, (3, 4))
    logits2 = model(other)
    print(f"molecule 0 logits change when other molecules change: {(logits[0] - logits2[0]).abs().max().item():.4f}")
