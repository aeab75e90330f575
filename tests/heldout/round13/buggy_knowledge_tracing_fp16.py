"""SAKT-style knowledge tracing: predict whether a student answers the next exercise correctly.

Served in half precision to fit many concurrent classrooms on one box.
"""
import torch
import torch.nn as nn


class SAKT(nn.Module):
    def __init__(self, n_skills=110, dim=64, heads=4, window=100):
        super().__init__()
        self.heads, self.dk = heads, dim // heads
        self.interaction = nn.Embedding(2 * n_skills + 1, dim)
        self.exercise = nn.Embedding(n_skills + 1, dim)
        self.pos = nn.Embedding(window, dim)
        self.wq, self.wk, self.wv = (nn.Linear(dim, dim) for _ in range(3))
        self.wo = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.pred = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 1))
        self.register_buffer("seen", torch.ones(window, window).tril().bool(), persistent=False)

    def forward(self, past_interactions, next_exercises):
        B, T = past_interactions.shape
        kv = self.interaction(past_interactions) + self.pos.weight[:T]
        q = self.exercise(next_exercises)
        split = lambda t: t.view(B, T, self.heads, self.dk).transpose(1, 2)
        Q, K, V = split(self.wq(q)), split(self.wk(kv)), split(self.wv(kv))
        scores = Q @ K.transpose(-2, -1) / self.dk ** 0.5
        scores = scores.masked_fill(~self.seen[:T, :T], -1e9)  # expect: ML205
        ctx = (scores.softmax(-1) @ V).transpose(1, 2).reshape(B, T, -1)
        h = self.norm(self.wo(ctx) + q)
        return torch.sigmoid(self.pred(h)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SAKT()
    skills = torch.randint(1, 111, (16, 100))
    correct = torch.randint(0, 2, (16, 100))
    inter = skills + 110 * correct
    # fp32 sanity pass, then the fp16 serving pass
    print("fp32 mean p(correct):", round(model(inter[:, :-1], skills[:, 1:]).mean().item(), 4))
    model = model.half()
    try:
        with torch.inference_mode():
            p = model(inter[:, :-1], skills[:, 1:])
        print("fp16 mean p(correct):", p.float().mean().item())
    except RuntimeError as err:
        print("fp16 serving failed:", err)
