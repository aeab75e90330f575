import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TranslationModel(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=64, nhead=4, num_layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=pad_id)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=pad_id)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=4 * d_model, batch_first=True,
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        # src: (B, S), tgt: (B, T)
        tgt_mask = self.transformer.generate_square_subsequent_mask(  # BUG
            tgt.shape[0], device=tgt.device, dtype=torch.bool)  # BUG
        scale = math.sqrt(self.src_emb.embedding_dim)
        out = self.transformer(
            self.src_emb(src) * scale,
            self.tgt_emb(tgt) * scale,
            tgt_mask=tgt_mask,
            src_key_padding_mask=src == self.pad_id,
            tgt_key_padding_mask=tgt == self.pad_id,
            memory_key_padding_mask=src == self.pad_id,
        )
        return self.generator(out)


class Seq2SeqTrainer:
    def __init__(self, model, lr=5e-4):
        self.model = model
        self.opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.98))

    def training_step(self, batch):
        self.model.train()
        src, tgt = batch["input_ids"], batch["labels"]
        logits = self.model(src, tgt[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1),
                               ignore_index=self.model.pad_id)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()
