import torch
from torch import nn


class TopicClassifier(nn.Module):
    def __init__(self, vocab_size=128, d_model=32, nhead=4, num_layers=2, num_topics=4):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, 32, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(d_model, num_topics)

    def forward(self, input_ids, attention_mask, labels=None):
        h = self.embed(input_ids) + self.pos[:, : input_ids.size(1)]
        h = self.encoder(h, src_key_padding_mask=attention_mask == 0)
        logits = self.classifier(h[:, 0])
        return logits if labels is None else (logits, nn.functional.cross_entropy(logits, labels))
