"""Stop-sequencing model: encode the unordered stops of a run, then decode the
visiting order one stop index at a time."""
import torch
import torch.nn.functional as F
from torch import nn

from .config import RouteConfig
from .layers import StopEncoder
from .masks import visit_order_mask


class RoutePlanner(nn.Module):
    def __init__(self, cfg: RouteConfig = RouteConfig()):
        super().__init__()
        self.cfg = cfg
        self.core = nn.Transformer(
            d_model=cfg.d_model, nhead=cfg.nhead,
            num_encoder_layers=cfg.enc_layers, num_decoder_layers=cfg.dec_layers,
            dim_feedforward=cfg.ff_mult * cfg.d_model, dropout=cfg.dropout, batch_first=True,
        )
        self.stops = StopEncoder(cfg, self.core.encoder)
        self.visit_embed = nn.Embedding(cfg.n_slots, cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.n_slots)

    def _decode(self, visits, memory, stop_pad):
        causal = visit_order_mask(visits.size(1), visits.device)
        h = self.core.decoder(
            self.visit_embed(visits), memory,
            tgt_mask=causal,
            tgt_key_padding_mask=visits.eq(self.cfg.pad_id),
            memory_key_padding_mask=stop_pad,
        )
        return self.head(h)

    def loss(self, stop_types, stop_xy, visits):
        memory, stop_pad = self.stops(stop_types, stop_xy)
        logits = self._decode(visits[:, :-1], memory, stop_pad)
        return F.cross_entropy(logits.flatten(0, 1), visits[:, 1:].flatten(), ignore_index=self.cfg.pad_id)

    @torch.no_grad()
    def iter_plan(self, stop_types, stop_xy, max_steps=None):
        """Greedy planner; yields the next slot of every run in the batch."""
        memory, stop_pad = self.stops(stop_types, stop_xy)
        visits = torch.full((stop_types.size(0), 1), self.cfg.bos_id, dtype=torch.long)
        for _ in range(max_steps or stop_types.size(1)):
            step_mask = visit_order_mask(visits.size(1), visits.device)
            h = self.core.decoder(self.visit_embed(visits), memory, tgt_mask=step_mask)  # expect: ML502
            nxt = self.head(h[:, -1]).argmax(-1, keepdim=True)
            visits = torch.cat([visits, nxt], dim=1)
            yield nxt.squeeze(-1)


def main():
    torch.manual_seed(0)
    cfg = RouteConfig()
    model = RoutePlanner(cfg)
    stop_types = torch.tensor([[5, 7, 9, 11, 3, 4], [8, 6, 12, 0, 0, 0]])
    stop_xy = torch.rand(2, 6, 2)
    visits = torch.tensor([[1, 5, 3, 4, 6, 7, 8, 2], [1, 4, 5, 3, 2, 0, 0, 0]])
    loss = model.loss(stop_types, stop_xy, visits)
    loss.backward()
    print("train loss", loss.item())
    model.eval()
    plan = torch.stack(list(model.iter_plan(stop_types, stop_xy, max_steps=5)), dim=1)
    print("plans", plan.tolist())
