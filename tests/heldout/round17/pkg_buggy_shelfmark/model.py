import torch
import torch.nn as nn

from .config import TaggerConfig


class SubjectTagger(nn.Module):
    def __init__(self, config: TaggerConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.dim, padding_idx=0)
        self.pos = nn.Embedding(config.max_len, config.dim)
        layer = nn.TransformerEncoderLayer(config.dim, config.heads, 4 * config.dim,
                                           dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(config.dim, config.n_subjects)

    def forward(self, input_ids, attention_mask, labels=None):
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.embed(input_ids) + self.pos(positions)
        x = self.encoder(x, src_key_padding_mask=attention_mask.bool())  # expect: ML101
        logits = self.classifier(x[:, 0])
        if labels is None:
            return {"logits": logits}
        loss = nn.functional.binary_cross_entropy_with_logits(logits, labels.float())
        return {"logits": logits, "loss": loss}
