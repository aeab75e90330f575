"""Training loop over the review dataset."""
import torch

from .data import ReviewDataset, collate
from .model import ReviewTriage, param_groups

ROWS = [
    ("charged twice for my subscription", "billing"),
    ("app closes when I open the camera", "crash"),
    ("cannot sign in with my google account", "login"),
    ("please add a dark mode", "feature"),
    ("refund has not arrived after two weeks", "billing"),
    ("crashes on startup since the update", "crash"),
    ("love it", "other"),
    ("password reset email never comes", "login"),
]


def train(epochs=3):
    loader = torch.utils.data.DataLoader(ReviewDataset(ROWS), batch_size=4, shuffle=True, collate_fn=collate)
    model = ReviewTriage()
    opt = torch.optim.AdamW(param_groups(model), lr=5e-4)
    for _ in range(epochs):
        model.train()
        for batch in loader:
            _, loss = model(**batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model, loss.item()


@torch.no_grad()
def predict(model, texts):
    model.eval()
    from .data import QUEUES, hash_tokenize
    batch = collate([(hash_tokenize(t), 0) for t in texts])
    batch.pop("labels")
    return [QUEUES[i] for i in model(**batch).argmax(-1).tolist()]


if __name__ == "__main__":
    torch.manual_seed(0)
    model, final = train()
    print(final, predict(model, ["the app keeps crashing", "double charge on my card"]))
