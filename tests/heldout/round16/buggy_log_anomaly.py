"""Session-level anomaly detection over parsed log templates (BERT-style)."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def collate_sessions(sessions, cls_id=1):
    seqs = [torch.tensor([cls_id] + s) for s in sessions]
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=0), lengths


class LogSessionEncoder(nn.Module):
    def __init__(self, n_templates=400, dim=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(n_templates, dim, padding_idx=0)
        self.pos = nn.Embedding(512, dim)
        block = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.mlm = nn.Linear(dim, n_templates)
        self.anomaly = nn.Linear(dim, 1)

    def forward(self, templates, lengths):
        steps = torch.arange(templates.size(1), device=templates.device)
        valid = steps[None, :] < lengths[:, None]
        x = self.emb(templates) + self.pos(steps)
        h = self.encoder(x, src_key_padding_mask=valid)  # expect: ML101
        return self.mlm(h), self.anomaly(h[:, 0]).squeeze(-1)


if __name__ == "__main__":
    ids, lens = collate_sessions([[5, 6, 7, 8], [9, 9]])
    tok_logits, score = LogSessionEncoder()(ids, lens)
    print(tok_logits.shape, score)
