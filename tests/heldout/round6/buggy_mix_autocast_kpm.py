"""Mixed-precision training step for an MHA pooling head; masks follow the activations' dtype."""
import torch
import torch.nn as nn


class AttentionPool(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim))
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, tokens, pad_id=0):
        q = self.query.expand(x.size(0), -1, -1)
        pad = (tokens == pad_id).to(device=x.device, dtype=x.dtype)
        out, _ = self.mha(
            q, x, x,
            key_padding_mask=pad,  # expect: ML201
        )
        return out.squeeze(1)


def train_step(model, backbone, tokens, labels, opt, device_type="cpu"):
    with torch.autocast(device_type=device_type, dtype=torch.bfloat16):
        x = backbone(tokens)
        logits = model(x, tokens)
        loss = nn.functional.mse_loss(logits.float(), labels)
    loss.backward()
    opt.step()
    opt.zero_grad()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    pool, emb = AttentionPool(), nn.Embedding(20, 32)
    tokens = torch.tensor([[3, 4, 0, 0], [5, 6, 7, 8]])
    a = pool(emb(tokens), tokens)
    b = pool(emb(tokens[:1, :2]), tokens[:1, :2])
    print("padding leaks into pooled vector:", (a[0] - b[0]).abs().max().item() > 1e-5)
