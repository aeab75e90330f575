import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = {
    "vocab_size": 5000,
    "d_model": 256,
    "n_heads": 4,
    "n_layers": 4,
    "max_len": 256,
    "dropout": 0.1,
}


class TextGenerator(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg["vocab_size"], cfg["d_model"])
        self.pos = nn.Embedding(cfg["max_len"], cfg["d_model"])
        layer = nn.TransformerEncoderLayer(
            cfg["d_model"], cfg["n_heads"], 4 * cfg["d_model"], cfg["dropout"], batch_first=True
        )
        self.blocks = nn.TransformerEncoder(layer, cfg["n_layers"])
        self.lm_head = nn.Linear(cfg["d_model"], cfg["vocab_size"])

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        B, T = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))
        x = self.blocks(x)  # BUG: no causal mask for a next-token model
        return self.lm_head(x)

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int, temperature: float = 1.0) -> torch.Tensor:
        for _ in range(max_new_tokens):
            logits = self(idx[:, -self.cfg["max_len"]:])[:, -1, :] / temperature
            next_id = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1)
            idx = torch.cat([idx, next_id], dim=1)
        return idx


def train_step(model, batch, optimizer):
    logits = model(batch[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), batch[:, 1:].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    model = TextGenerator(CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    print(train_step(model, torch.randint(0, 5000, (16, 65)), opt))
    model.eval()
    print(model.generate(torch.zeros(1, 1, dtype=torch.long), 20))
