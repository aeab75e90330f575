import torch
import torch.nn as nn


class DecoderOnly(nn.Module):
    def __init__(self, vocab=48, d_model=32, nhead=4, nlayers=2, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True) for _ in range(nlayers)
        )
        self.head = nn.Linear(d_model, vocab)
        self.register_buffer("causal_mask", nn.Transformer.generate_square_subsequent_mask(max_len), persistent=False)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(T, device=idx.device))
        for layer in self.layers:
            x = layer(x, src_mask=self.causal_mask[:T, :T], is_causal=True)
        return self.head(x)


def prefix_change(model, idx):
    alt = idx.clone()
    alt[:, -1] = (alt[:, -1] + 1) % 48
    return (model(idx)[:, :-1] - model(alt)[:, :-1]).abs().max().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DecoderOnly()
    idx = torch.randint(0, 48, (2, 10))
    model.train()
    try:
        train_msg = f"{prefix_change(model, idx):.3e}"
    except RuntimeError as e:
        train_msg = f"raised RuntimeError ({str(e)[:40]}...)"
    model.eval()
    with torch.no_grad():
        eval_d = prefix_change(model, idx)
    print(f"prefix change when last token changes: train {train_msg}; eval {eval_d:.3e}")
