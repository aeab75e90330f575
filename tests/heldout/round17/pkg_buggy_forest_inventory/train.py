import torch


def batches(plots, batch_size=16):
    """Yield padded plot batches from a list of per-plot tensor dicts."""
    keys = ("species", "dbh_cm", "height_m", "crown", "xy")
    for start in range(0, len(plots), batch_size):
        chunk = plots[start:start + batch_size]
        width = max(len(p["species"]) for p in chunk)
        out = {k: [] for k in keys}
        pad = torch.ones(len(chunk), width, dtype=torch.bool)
        for i, p in enumerate(chunk):
            n = len(p["species"])
            pad[i, :n] = False
            for k in keys:
                t = p[k]
                filler = t.new_zeros((width - n,) + t.shape[1:])
                out[k].append(torch.cat([t, filler]))
        batch = {k: torch.stack(v) for k, v in out.items()}
        batch["tree_pad"] = pad
        yield batch, torch.stack([p["carbon_t"] for p in chunk])


def fit(model, plots, epochs=1, lr=1e-3):
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    for _ in range(epochs):
        for batch, target in batches(plots):
            loss = torch.nn.functional.huber_loss(model(**batch), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model
