import torch
from torch.utils.data import DataLoader

from .data import TicketDataset, WordVocab, collate_tickets
from .model import TicketRouter

ROWS = [
    ("I was charged twice for my march invoice", "billing"),
    ("site is down again", "outage"),
    ("cannot reset my password the link expired", "account"),
    ("please add dark mode", "feature-request"),
    ("refund the duplicate charge please", "billing"),
    ("api returns 503 for every request since noon", "outage"),
]


def train(epochs=2, seed=0):
    torch.manual_seed(seed)
    vocab = WordVocab([t for t, _ in ROWS])
    loader = DataLoader(TicketDataset(ROWS, vocab), batch_size=3, shuffle=True, collate_fn=collate_tickets)
    model = TicketRouter(len(vocab.itos))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for _ in range(epochs):
        for batch in loader:
            out = model(**batch)
            opt.zero_grad()
            out["loss"].backward()
            opt.step()
    return model, vocab, out["loss"].item()
