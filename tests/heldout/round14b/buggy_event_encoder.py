"""Patient-timeline encoder (EHR codes) pretrained with random event dropout."""
import random

import torch
import torch.nn as nn

PAD = 0
CLS = 1


class VisitEmbedding(nn.Module):
    def __init__(self, n_codes, n_visits, dim):
        super().__init__()
        self.code = nn.Embedding(n_codes, dim, padding_idx=PAD)
        self.visit = nn.Embedding(n_visits, dim)
        self.age = nn.Linear(1, dim)

    def forward(self, codes, visit_idx, age):
        return self.code(codes) + self.visit(visit_idx) + self.age(age.unsqueeze(-1) / 100.0)


class TimelineEncoder(nn.Module):
    def __init__(self, n_codes=2000, n_visits=64, dim=128, heads=4, layers=2, drop_events=0.15):
        super().__init__()
        self.embed = VisitEmbedding(n_codes, n_visits, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.drop_events = drop_events
        self.readmission = nn.Linear(dim, 1)

    def event_dropout_mask(self, codes):
        B, L = codes.shape
        n_drop = max(1, int(self.drop_events * L)) if self.training else 0
        hidden = torch.zeros_like(codes)
        if n_drop:
            drop_idx = torch.randint(1, L, (B, n_drop), device=codes.device)
            hidden.scatter_(1, drop_idx, 1)
        hidden[codes == PAD] = 1
        return hidden

    def forward(self, codes, visit_idx, age):
        x = self.embed(codes, visit_idx, age)
        key_mask = self.event_dropout_mask(codes)
        h = self.encoder(x, src_key_padding_mask=key_mask)  # expect: ML203
        return self.readmission(h[:, 0]).squeeze(-1)


def make_timeline(n_events, max_len):
    codes = [CLS] + [random.randint(2, 1999) for _ in range(n_events)]
    visits = [0] + sorted(random.randint(0, 63) for _ in range(n_events))
    pad = max_len - len(codes)
    return (torch.tensor(codes + [PAD] * pad), torch.tensor(visits + [0] * pad),
            torch.full((max_len,), float(random.randint(20, 90))))


if __name__ == "__main__":
    random.seed(0)
    torch.manual_seed(0)
    model = TimelineEncoder()
    rows = [make_timeline(n, 24) for n in (23, 12, 7)]
    codes, visits, ages = (torch.stack(t) for t in zip(*rows))
    labels = torch.tensor([1.0, 0.0, 1.0])
    try:
        logits = model(codes, visits, ages)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, labels)
        print("loss", loss.item())
    except (AssertionError, RuntimeError) as err:
        print("training step failed:", err)
