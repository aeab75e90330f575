"""Token classification training step: label masks and loss masks, no attention masks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

IGNORE = -100


def align_labels(word_ids, word_labels):
    """First sub-token of each word keeps the label, the rest are ignored."""
    labels = torch.full(word_ids.shape, IGNORE, dtype=torch.long)
    prev = None
    for i, w in enumerate(word_ids.tolist()):
        if w >= 0 and w != prev:
            labels[i] = word_labels[w]
        prev = w
    return labels


class TaggingHead(nn.Module):
    def __init__(self, hidden=64, n_tags=9, p=0.1):
        super().__init__()
        self.dropout = nn.Dropout(p)
        self.proj = nn.Linear(hidden, n_tags)

    def forward(self, hidden):
        return self.proj(self.dropout(hidden))


def masked_token_loss(logits, labels, loss_mask=None, label_smoothing=0.0):
    loss = F.cross_entropy(
        logits.transpose(1, 2), labels.clamp(min=0), reduction="none", label_smoothing=label_smoothing
    )
    mask = labels.ne(IGNORE)
    if loss_mask is not None:
        mask = mask & loss_mask.bool()
    loss = loss.masked_fill(~mask, 0.0)
    return loss.sum() / mask.sum().clamp(min=1)


def word_dropout(ids, p, unk_id, special_mask):
    drop = torch.rand(ids.shape, device=ids.device) < p
    drop = drop & ~special_mask
    return ids.masked_fill(drop, unk_id)


def accuracy(logits, labels):
    mask = labels != IGNORE
    pred = logits.argmax(-1)
    return ((pred == labels) & mask).sum().float() / mask.sum().clamp(min=1)
