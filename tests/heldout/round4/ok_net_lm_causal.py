import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    """Next-token LM; the causal mask is built on every call that may see the future."""

    def __init__(self, ntoken, d_model=128, nhead=4, nlayers=2, dropout=0.1):
        super().__init__()
        self.emb = nn.Embedding(ntoken, d_model)
        self.pos = nn.Embedding(256, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True)
        self.body = nn.TransformerEncoder(layer, nlayers)
        self.out = nn.Linear(d_model, ntoken)

    def forward(self, x, has_mask=True):
        T = x.size(1)
        mask = None
        if has_mask:
            mask = nn.Transformer.generate_square_subsequent_mask(T, device=x.device)
        h = self.emb(x) * math.sqrt(self.emb.embedding_dim) + self.pos(torch.arange(T, device=x.device))
        h = self.body(h, mask=mask, is_causal=has_mask)
        return self.out(h)


def fit(model, tokens, steps=200, seq=64, bs=16):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(steps):
        ix = torch.randint(len(tokens) - seq - 1, (bs,))
        batch = torch.stack([tokens[i:i + seq + 1] for i in ix])
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


@torch.no_grad()
def generate(model, prompt, n_new=20):
    model.eval()
    x = prompt
    for _ in range(n_new):
        logits = model(x, has_mask=True)[:, -1]
        x = torch.cat([x, logits.argmax(-1, keepdim=True)], dim=1)
    return x


def last_token_score(model, seq):
    # only the final position is read, and it may see everything before it;
    # the mask is still needed because the earlier positions feed the later layers
    return model(seq)[:, -1].log_softmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    data = torch.randint(0, 50, (5000,))
    net = Net(50)
    print(fit(net, data, steps=3))
    print(generate(net, data[:5].unsqueeze(0)).shape)
    print(Net(50)(data[:12].unsqueeze(0)).shape)
