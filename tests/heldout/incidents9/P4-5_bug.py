import torch
from torch import nn


class NextEventModel(nn.Module):
    """Autoregressive event-sequence model built from a single TransformerEncoderLayer."""

    def __init__(self, num_event_types=12, d_model=16, nhead=2):
        super().__init__()
        self.embed = nn.Embedding(num_event_types, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.head = nn.Linear(d_model, num_event_types)

    def forward(self, events):
        h = self.layer(self.embed(events), is_causal=True)  # BUG
        return self.head(h)


@torch.no_grad()
def predict_next(model, events):
    model.eval()
    return model(events)[:, -1].argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = NextEventModel()
    events = torch.randint(0, 12, (1, 5))
    print("next event:", predict_next(model, events).tolist())
    with torch.no_grad():
        a = model(events)
        later = events.clone()
        later[:, -1] = (later[:, -1] + 3) % 12
        b = model(later)
    print("inference: outputs before the last event change:", (a - b)[:, :-1].abs().max().item())
