"""Next-input model for speedrun controller logs (one token per frame-group of button presses)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BUTTONS = ["A", "B", "X", "Y", "L", "R", "UP", "DOWN", "LEFT", "RIGHT", "START", "NONE"]
VOCAB = len(BUTTONS) + 2
BOS, PAD = len(BUTTONS), len(BUTTONS) + 1


class InputLM(nn.Module):
    def __init__(self, d_model=96, nhead=4, num_layers=3, max_len=512):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d_model)
        self.frame_pos = nn.Embedding(max_len, d_model)
        block = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=4 * d_model, dropout=0.1, activation="gelu", batch_first=True)
        self.body = nn.TransformerEncoder(block, num_layers=num_layers)
        self.lm = nn.Linear(d_model, VOCAB)

    def forward(self, tokens):
        n = tokens.size(1)
        h = self.embed(tokens) + self.frame_pos(torch.arange(n, device=tokens.device))
        h = self.body(h, src_key_padding_mask=tokens.eq(PAD))  # BUG: an autoregressive LM run through the encoder with no causal mask: every frame sees later inputs during training
        return self.lm(h)


def train(model, runs, steps=10, lr=5e-4):
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for i in range(steps):
        batch = runs[i % len(runs)]
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), batch[:, 1:].reshape(-1), ignore_index=PAD)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


@torch.no_grad()
def ghost_run(model, n_frames=32):
    model.eval()
    seq = torch.full((1, 1), BOS, dtype=torch.long)
    for _ in range(n_frames):
        nxt = model(seq)[:, -1, : len(BUTTONS)].argmax(-1, keepdim=True)
        seq = torch.cat([seq, nxt], 1)
    return [BUTTONS[i] for i in seq[0, 1:].tolist()]


if __name__ == "__main__":
    runs = [torch.randint(0, len(BUTTONS), (4, 40)) for _ in range(3)]
    lm = InputLM()
    print(train(lm, runs, steps=3))
    print(ghost_run(lm, 8))
