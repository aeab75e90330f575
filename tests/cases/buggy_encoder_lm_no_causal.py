"""Small code-completion LM; padding-aware, trained with next-token loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CompletionModel(nn.Module):
    def __init__(self, vocab_size=512, d_model=64, n_heads=4, n_layers=2, max_len=128, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        block = nn.TransformerEncoderLayer(d_model, n_heads, 4 * d_model, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(block, n_layers)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, ids):
        positions = torch.arange(ids.size(1), device=ids.device)
        h = self.tok(ids) + self.pos(positions)
        pad = ids == self.pad_id
        h = self.encoder(h, src_key_padding_mask=pad)  # expect: ML401
        return self.lm_head(h)


def training_step(model, batch, optimizer):
    ids = batch["input_ids"]
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=model.pad_id)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
