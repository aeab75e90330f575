import torch
import torch.nn as nn
import torch.nn.functional as F


def prefix_visibility(seq_len, prefix_len, device=None):
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))
    prompt = torch.zeros_like(causal)
    prompt[:, :prefix_len] = True
    return causal | prompt


class PrefixDecoder(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True)
        self.stack = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens, prefix_len):
        h = self.embed(tokens) + self.pos[:, : tokens.size(1)]
        visible = prefix_visibility(tokens.size(1), prefix_len, tokens.device)
        h = self.stack(h, mask=~visible)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PrefixDecoder(vocab_size=50)
    batch = torch.randint(1, 50, (3, 12))
    logits = model(batch[:, :-1], prefix_len=4)
    target = batch[:, 1:].clone()
    target[:, :3] = -100
    print("loss", F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100).item())
