import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class DemoTransformer(nn.Module):
    def __init__(self, vocab_size: int = 33278, ninp: int = 200, nhead: int = 2, nhid: int = 200, nlayers: int = 2,
                 dropout: float = 0.2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.pos_encoder = nn.Parameter(torch.zeros(1, 512, ninp))
        self.transformer = nn.Transformer(
            d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
            dim_feedforward=nhid, dropout=dropout, batch_first=True,
        )
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp

    def forward(self, inputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        b, t = inputs.shape
        src = self.embedding(inputs) * math.sqrt(self.ninp) + self.pos_encoder[:, :t]
        tgt = self.embedding(target) * math.sqrt(self.ninp) + self.pos_encoder[:, :t]
        causal = self.transformer.generate_square_subsequent_mask(t, device=inputs.device)
        output = self.transformer(src, tgt, src_mask=causal, tgt_mask=causal, memory_mask=causal)
        return self.decoder(output)


class LanguageModel(nn.Module):
    """LightningModule-style wrapper around the demo transformer."""

    def __init__(self, vocab_size: int):
        super().__init__()
        self.model = DemoTransformer(vocab_size=vocab_size)

    def training_step(self, batch, batch_idx):
        input_ids = batch["input_ids"]
        inputs, target = input_ids[:, :-1], input_ids[:, 1:]
        output = self.model(inputs, inputs)
        loss = F.nll_loss(F.log_softmax(output, dim=-1).reshape(-1, output.size(-1)), target.reshape(-1))
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.model.parameters(), lr=0.1)
