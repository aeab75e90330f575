import math

import torch
import torch.nn as nn


class ChatbotTransformer(nn.Module):
    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=1, pad_idx=0, max_len=32):
        super().__init__()
        self.pad_idx = pad_idx
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.pos = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, dim_feedforward=16, batch_first=True)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def embed(self, tokens):
        positions = torch.arange(tokens.size(1), device=tokens.device)
        return self.embedding(tokens) * math.sqrt(self.d_model) + self.pos(positions)

    def forward(self, question, answer_in):
        src = self.embed(question)
        tgt = self.embed(answer_in)
        n = answer_in.size(1)
        tgt_mask = torch.triu(torch.ones(n, n, dtype=torch.bool, device=answer_in.device), diagonal=1)
        src_padding_mask = question == self.pad_idx
        tgt_padding_mask = answer_in == self.pad_idx
        out = self.transformer(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=src_padding_mask,
                               tgt_key_padding_mask=tgt_padding_mask, memory_key_padding_mask=src_padding_mask)
        return self.fc_out(out)


def train_step(model, question, answer, criterion):
    answer_in, answer_out = answer[:, :-1], answer[:, 1:]
    logits = model(question, answer_in)
    return criterion(logits.reshape(-1, logits.size(-1)), answer_out.reshape(-1))


def run():
    model = ChatbotTransformer(vocab_size=25)
    question = torch.tensor([[4, 8, 9, 11, 3], [5, 6, 3, 0, 0]])
    answer = torch.tensor([[1, 12, 13, 14, 2, 0], [1, 15, 16, 17, 18, 2]])
    train_step(model, question, answer, nn.CrossEntropyLoss(ignore_index=0))
    return model(question, answer[:, :-1])
