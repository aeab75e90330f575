"""A BERT-style masked language model: an LM head over a bidirectional encoder is correct here.

Masked-LM predicts the masked-out tokens from both sides (labels are -100 except at masked
positions); there is no next-token shift and no generation loop, so no causal mask belongs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BertForMaskedLM(nn.Module):
    def __init__(self, vocab_size=30522, hidden=256, heads=4, layers=4, max_len=512):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, hidden)
        self.pos = nn.Embedding(max_len, hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.lm_head = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.LayerNorm(hidden), nn.Linear(hidden, vocab_size))

    def forward(self, input_ids, attention_mask, labels=None):
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.tok(input_ids) + self.pos(positions)
        x = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        logits = self.lm_head(x)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
        return logits, loss


def mask_tokens(input_ids, mask_token_id, vocab_size, mlm_probability=0.15):
    labels = input_ids.clone()
    probability_matrix = torch.full(labels.shape, mlm_probability)
    masked_indices = torch.bernoulli(probability_matrix).bool()
    labels[~masked_indices] = -100
    inputs = input_ids.clone()
    inputs[masked_indices] = mask_token_id
    return inputs, labels
