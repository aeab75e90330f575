import torch
import torch.nn as nn


class CausalBlockStack(nn.Module):
    def __init__(self, d_model: int = 512, nhead: int = 8, num_layers: int = 6):
        super().__init__()
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, batch_first=True, norm_first=True)
            for _ in range(num_layers)
        ])
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        causal_mask = nn.Transformer.generate_square_subsequent_mask(x.size(1), device=x.device)
        for layer in self.layers:
            x = layer(x, src_mask=causal_mask, is_causal=True)
        return self.norm(x)


class MusicTransformer(nn.Module):
    def __init__(self, n_events: int = 388, d_model: int = 512):
        super().__init__()
        self.embed = nn.Embedding(n_events, d_model)
        self.pos = nn.Parameter(torch.zeros(1, 2048, d_model))
        self.stack = CausalBlockStack(d_model)
        self.head = nn.Linear(d_model, n_events)

    def forward(self, events: torch.Tensor) -> torch.Tensor:
        x = self.embed(events) + self.pos[:, : events.size(1)]
        return self.head(self.stack(x))


if __name__ == "__main__":
    model = MusicTransformer()
    events = torch.randint(0, 388, (4, 128))
    model.eval()
    with torch.no_grad():
        full = model(events)
        prefix = model(events[:, :64])
    # with a working causal mask these would match
    print((full[:, :64] - prefix).abs().max())
