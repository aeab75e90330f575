"""Next-clearance model for electronic flight progress strips.

Memory: the filed flight plan (fix sequence with altitude/speed constraints).
Target: the sequence of controller actions already recorded on the strip
(climb FL, direct-to, handoff, squawk change ...). The model proposes the next
action for the controller's strip bay, trained with teacher forcing.
"""
import torch
import torch.nn as nn

ACTIONS = ["<pad>", "<start>", "climb", "descend", "direct", "speed", "heading", "handoff", "squawk", "hold", "<end>"]
PAD, START, END = 0, 1, len(ACTIONS) - 1


class StripDecoder(nn.Module):
    def __init__(self, d=48, nhead=4, depth=3, n_fixes=5000):
        super().__init__()
        self.fix = nn.Embedding(n_fixes, d)
        self.constraint = nn.Linear(2, d)  # altitude (FL/100), speed (kt/100)
        self.action = nn.Embedding(len(ACTIONS), d, padding_idx=PAD)
        self.arg = nn.Linear(1, d)
        self.pos = nn.Embedding(64, d)
        self.layers = nn.ModuleList(
            nn.TransformerDecoderLayer(d, nhead, 4 * d, dropout=0.1, batch_first=True, norm_first=True)
            for _ in range(depth)
        )
        self.norm = nn.LayerNorm(d)
        self.next_action = nn.Linear(d, len(ACTIONS))

    def encode_plan(self, fixes, constraints):
        return self.fix(fixes) + self.constraint(constraints)

    def forward(self, fixes, constraints, actions, args):
        plan = self.encode_plan(fixes, constraints)
        plan_pad = fixes == 0
        T = actions.size(1)
        x = self.action(actions) + self.arg(args.unsqueeze(-1)) + self.pos(torch.arange(T, device=actions.device))
        strip_pad = actions == PAD
        for layer in self.layers:
            x = layer(x, plan, tgt_key_padding_mask=strip_pad, memory_key_padding_mask=plan_pad)  # BUG: action decoder self-attention has no causal tgt_mask
        return self.next_action(self.norm(x))


def teacher_forcing_loss(model, batch):
    logits = model(batch["fixes"], batch["constraints"], batch["actions"][:, :-1], batch["args"][:, :-1])
    return nn.functional.cross_entropy(logits.transpose(1, 2), batch["actions"][:, 1:], ignore_index=PAD)


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = {
        "fixes": torch.tensor([[101, 2044, 317, 9, 0, 0], [55, 56, 57, 58, 59, 60]]),
        "constraints": torch.rand(2, 6, 2) * 3,
        "actions": torch.tensor([[START, 2, 4, 7, END, PAD], [START, 5, 2, 6, 8, END]]),
        "args": torch.rand(2, 6),
    }
    model = StripDecoder()
    loss = teacher_forcing_loss(model, batch)
    loss.backward()
    print(float(loss))
