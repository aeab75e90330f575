import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelAttentionClassifier(nn.Module):
    """Multi-label text classifier (LSAN/LEAM-style label attention): every label embedding is a
    query over the padded text (masked); the text then reads the fixed label set, which has no
    padding, so that attention needs no mask."""

    def __init__(self, vocab=100, num_labels=6, dim=32, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.lab = nn.Embedding(num_labels, dim)
        self.label_reads_text = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.text_reads_labels = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.out = nn.Linear(dim, 1)

    def forward(self, input_ids, attention_mask, label_ids):
        text = self.tok(input_ids)
        labels = self.lab(label_ids)                                  # (N, C, E), all labels
        lab_ctx, _ = self.label_reads_text(labels, text, text, key_padding_mask=attention_mask == 0)
        txt_ctx, _ = self.text_reads_labels(text, labels, labels)     # keys: the label set
        return self.out(lab_ctx).squeeze(-1), txt_ctx


def functional_label_attention(input_ids, attention_mask, label_ids, tok_table, lab_table):
    text = F.embedding(input_ids, tok_table)
    labels = F.embedding(label_ids, lab_table)
    keep = attention_mask.bool()[:, None, None, :]
    lab_ctx = F.scaled_dot_product_attention(labels[:, None], text[:, None], text[:, None], attn_mask=keep)
    txt_ctx = F.scaled_dot_product_attention(text[:, None], labels[:, None], labels[:, None])
    return lab_ctx, txt_ctx


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 0]])
    am = (ids != 0).long()
    lids = torch.arange(6).expand(2, 6)
    a, b = LabelAttentionClassifier()(ids, am, lids)
    c, d = functional_label_attention(ids, am, lids, torch.randn(100, 32), torch.randn(6, 32))
    print(a.shape, b.shape, c.shape, d.shape)
