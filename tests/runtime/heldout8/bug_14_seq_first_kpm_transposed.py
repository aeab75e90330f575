# EXPECT: bug src_key_padding_mask computed on seq-first (T, B) token tensor and passed as (S, N) instead of (N, S); with T == B (fixed length 6, batch 6) it is accepted silently and masks the wrong keys
"""Legacy torchtext-style text classifier: the iterator yields seq-first
(T, B) token tensors (fix_length=6), the model is a seq-first
nn.TransformerEncoder with masked mean pooling.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_IDX = 1


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size=40, d_model=32, nhead=2, dim_ff=64, num_layers=2, num_class=4, dropout=0.1, max_len=16):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_IDX)
        self.pos_embedding = nn.Parameter(torch.randn(max_len, 1, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_ff, dropout)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(d_model, num_class)
        self.d_model = d_model

    def forward(self, text):
        # text: (T, B) as produced by the iterator
        src_key_padding_mask = text == PAD_IDX
        x = self.embedding(text) * math.sqrt(self.d_model) + self.pos_embedding[: text.size(0)]
        x = self.dropout(x)
        x = self.encoder(x, src_key_padding_mask=src_key_padding_mask)  # BUG-SITE
        keep = (text != PAD_IDX).unsqueeze(-1).float()
        pooled = (x * keep).sum(0) / keep.sum(0)
        return self.fc(self.dropout(pooled))


def make_batch(lengths, fix_length, vocab_size):
    text = torch.full((fix_length, len(lengths)), PAD_IDX, dtype=torch.long)
    for b, n in enumerate(lengths):
        text[:n, b] = torch.randint(2, vocab_size, (n,))
    return text


def run():
    torch.manual_seed(0)
    model = TransformerClassifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    text = make_batch([6, 4, 5, 3, 6, 2], fix_length=6, vocab_size=40)
    label = torch.tensor([0, 3, 1, 2, 2, 0])

    model.train()
    logits = model(text)
    loss = F.cross_entropy(logits, label)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_text = make_batch([5, 6, 2, 4, 3, 6], fix_length=6, vocab_size=40)
        eval_logits = model(eval_text)
    return [loss.detach(), *grads, eval_logits]
