"""Sample levels tile by tile and keep the ones the critic rates playable."""
import torch

from .model import TILES, TileModel


@torch.no_grad()
def sample_level(model, max_tiles=40, temperature=1.0):
    model.eval()
    tiles = torch.tensor([[TILES.index("<start>")]])
    for _ in range(max_tiles):
        logits = model(tiles, causal=True)[:, -1] / temperature
        nxt = torch.multinomial(logits.softmax(-1), 1)
        tiles = torch.cat([tiles, nxt], dim=1)
        if nxt.item() == TILES.index("<end>"):
            break
    return tiles


@torch.no_grad()
def curated_levels(model, n=4, threshold=0.5):
    levels = [sample_level(model) for _ in range(n)]
    scores = [model.critic(lv).item() for lv in levels]
    return [(lv, s) for lv, s in zip(levels, scores) if s >= threshold]


def train_step(model, opt, batch):
    model.train()
    logits = model(batch[:, :-1])
    loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), batch[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TileModel()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    batch = torch.randint(3, len(TILES), (8, 30))
    for _ in range(5):
        train_step(model, opt, batch)
    for lv, s in curated_levels(model, threshold=0.0):
        print(round(s, 3), [TILES[i] for i in lv[0, 1:8].tolist()])
