import torch
import torch.nn as nn
import torch.nn.functional as F


class ReactionTransformer(nn.Module):
    """Reactant SMILES -> product SMILES."""

    def __init__(self, vocab_size=64, d_model=128, nhead=8, num_layers=3, max_len=160, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(
            d_model, nhead, num_layers, num_layers, dim_feedforward=4 * d_model, dropout=0.1, batch_first=True
        )
        self.fc_out = nn.Linear(d_model, vocab_size)

    def _embed(self, ids):
        return self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, src, tgt):
        tgt_len = tgt.size(1)
        tgt_mask = torch.triu(torch.ones(tgt_len, tgt_len, dtype=torch.bool, device=tgt.device), diagonal=1)
        src_pad = src == self.pad_id
        out = self.transformer(
            self._embed(src), self._embed(tgt), tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt == self.pad_id,
            memory_key_padding_mask=src_pad,
        )
        return self.fc_out(out)


class ReactionTrainer:
    def __init__(self, model, lr=1e-4):
        self.model = model
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def training_step(self, batch):
        self.model.train()
        src, tgt = batch["input_ids"], batch["labels"]
        logits = self.model(src, tgt[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1),
                               ignore_index=self.model.pad_id)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()
