"""Multi-station weather forecaster: encoder over history, autoregressive decoder over the horizon."""
import torch
import torch.nn as nn

CONFIG = {
    "n_vars": 5,          # temperature, pressure, humidity, wind_u, wind_v
    "d_model": 64,
    "nhead": 4,
    "enc_layers": 2,
    "dec_layers": 2,
    "history": 24,
    "horizon": 6,
}


class Forecaster(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d_model"]
        self.inp = nn.Linear(cfg["n_vars"], d)
        self.tgt_inp = nn.Linear(cfg["n_vars"], d)
        self.time_emb = nn.Embedding(cfg["history"] + cfg["horizon"] + 1, d)
        self.core = nn.Transformer(
            d_model=d,
            nhead=cfg["nhead"],
            num_encoder_layers=cfg["enc_layers"],
            num_decoder_layers=cfg["dec_layers"],
            dim_feedforward=2 * d,
            dropout=0.1,
            batch_first=True,
        )
        self.head = nn.Linear(d, cfg["n_vars"])
        self.history = cfg["history"]

    def forward(self, past, future_in):
        # past: (B, history, V); future_in: (B, horizon, V), shifted right by one step
        t_past = torch.arange(past.size(1), device=past.device)
        t_fut = torch.arange(future_in.size(1), device=past.device) + self.history
        src = self.inp(past) + self.time_emb(t_past)
        tgt = self.tgt_inp(future_in) + self.time_emb(t_fut)
        causal = nn.Transformer.generate_square_subsequent_mask(tgt.size(0), device=tgt.device)
        out = self.core(src, tgt, tgt_mask=causal)  # expect: ML303
        return self.head(out)


def shift_right(y, last_obs):
    return torch.cat([last_obs[:, None], y[:, :-1]], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Forecaster(CONFIG)
    batch = CONFIG["horizon"]
    series = torch.randn(batch, CONFIG["history"] + CONFIG["horizon"], CONFIG["n_vars"]).cumsum(1)
    past, future = series[:, : CONFIG["history"]], series[:, CONFIG["history"]:]
    pred = model(past, shift_right(future, past[:, -1]))
    loss = nn.functional.mse_loss(pred, future)
    loss.backward()
    print(pred.shape, loss.item())
