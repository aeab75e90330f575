import torch
import torch.nn as nn


class GPTConfig:
    vocab_size = 64
    block_size = 32
    n_layer = 2
    n_head = 4
    n_embd = 32


class TinyGPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.block_size, config.n_embd)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(config.n_embd, config.n_head, 4 * config.n_embd, dropout=0.0, batch_first=True, norm_first=True)
            for _ in range(config.n_layer)
        ])
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.register_buffer("causal_mask", nn.Transformer.generate_square_subsequent_mask(config.block_size))

    def forward(self, idx):
        b, t = idx.size()
        x = self.wte(idx) + self.wpe(torch.arange(t, device=idx.device))
        for layer in self.layers:
            x = layer(x, src_mask=self.causal_mask[:t, :t], is_causal=True)
        return self.lm_head(self.ln_f(x))

    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits = self(idx[:, -self.config.block_size :])
            idx = torch.cat((idx, logits[:, -1].argmax(-1, keepdim=True)), dim=1)
        return idx


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyGPT(GPTConfig()).eval()
    idx = torch.randint(0, 64, (2, 12))
    edited = idx.clone()
    edited[:, 8:] = torch.randint(0, 64, (2, 4))
    with torch.no_grad():
        d = (model(idx)[:, :8] - model(edited)[:, :8]).abs().max().item()
    print(f"eval future leak: max |d logits[:, :8]| after editing tokens 8.. = {d:.4f}")
