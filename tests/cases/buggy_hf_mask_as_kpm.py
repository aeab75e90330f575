"""Text classifiers fed by a Hugging Face tokenizer, whose attention_mask is 1 for real tokens.

torch's key padding masks block where True.  Passing the tokenizer mask raw (int64) fails with
"only bool and floating types of key_padding_mask are supported"; converting it with .bool() or
comparing it with 1 runs, but hides the real tokens and attends to the padding.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderClassifier(nn.Module):
    def __init__(self, vocab_size, num_labels, d_model=256, nhead=4, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.classifier = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        x = self.encoder(x, src_key_padding_mask=attention_mask.bool())  # expect: ML101
        keep = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.classifier(pooled)


class AttentionPoolingHead(nn.Module):
    def __init__(self, d_model, num_labels, nhead=4):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, d_model))
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.out = nn.Linear(d_model, num_labels)

    def forward(self, hidden_states, attention_mask):
        q = self.query.expand(hidden_states.size(0), -1, -1)
        pooled, _ = self.attn(q, hidden_states, hidden_states, key_padding_mask=attention_mask)  # expect: ML101, ML203
        return self.out(pooled.squeeze(1))


class Trainer:
    def __init__(self, vocab_size, num_labels, d_model=256):
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, 8, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=4)
        self.head = nn.Linear(d_model, num_labels)

    def step(self, batch):
        real = batch["attention_mask"] == 1
        h = self.encoder(self.embed(batch["input_ids"]), src_key_padding_mask=real)  # expect: ML101
        logits = self.head(h[:, 0])
        return F.cross_entropy(logits, batch["labels"])
