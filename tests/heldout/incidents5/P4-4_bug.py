"""Character-level poetry LM on nn.Transformer, written as plain functions."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_model(vocab, d_model=32, nhead=4, layers=2):
    return nn.ModuleDict({
        "emb": nn.Embedding(vocab, d_model),
        "pos": nn.Embedding(128, d_model),
        "transformer": nn.Transformer(d_model, nhead, layers, layers, 64, 0.0, batch_first=True),
        "head": nn.Linear(d_model, vocab),
    })


def embed(model, ids):
    return model["emb"](ids) + model["pos"](torch.arange(ids.shape[1], device=ids.device))


def lm_forward(model, src_ids, tgt_ids):
    src, tgt = embed(model, src_ids), embed(model, tgt_ids)
    out = model["transformer"](src, tgt)  # BUG
    return model["head"](out)


def lm_loss(model, batch):
    inp, tgt = batch[:, :-1], batch[:, 1:]
    logits = lm_forward(model, inp, inp)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))


@torch.no_grad()
def sample(model, prompt, steps=10, temperature=0.8):
    ids = prompt
    for _ in range(steps):
        logits = lm_forward(model, ids, ids)[:, -1] / temperature
        ids = torch.cat([ids, torch.multinomial(logits.softmax(-1), 1)], dim=1)
    return ids


def train(model, data, steps=5, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for step in range(steps):
        loss = lm_loss(model, data[torch.randint(0, data.shape[0], (4,))])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = build_model(30)
    data = torch.randint(0, 30, (16, 12))
    print("loss:", train(model, data))
    model.eval()
    print(sample(model, data[:2, :4]).shape)
