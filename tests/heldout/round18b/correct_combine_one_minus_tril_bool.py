"""Next-activity prediction for business-process event logs (seq-first nn.TransformerEncoder)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, N_ACTIVITIES = 0, 40


class ProcessModel(nn.Module):
    def __init__(self, d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.act_emb = nn.Embedding(N_ACTIVITIES, d_model, padding_idx=PAD)
        self.pos_emb = nn.Parameter(torch.zeros(max_len, 1, d_model))
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.1)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers, enable_nested_tensor=False)
        self.next_act = nn.Linear(d_model, N_ACTIVITIES)

    def forward(self, acts):
        S = acts.size(0)
        future = (1 - torch.tril(torch.ones(S, S, device=acts.device))).bool()
        padding = (acts == PAD).t()
        x = self.act_emb(acts) + self.pos_emb[:S]
        h = self.encoder(x, mask=future, src_key_padding_mask=padding)
        return self.next_act(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ProcessModel()
    traces = torch.randint(1, N_ACTIVITIES, (16, 5))
    traces[11:, 3] = PAD
    logits = model(traces[:-1])
    loss = F.cross_entropy(logits.flatten(0, 1), traces[1:].flatten(), ignore_index=PAD)
    loss.backward()
    model.eval()
    with torch.no_grad():
        ev = model(traces[:-1])
    print("loss", round(loss.item(), 5), "eval", tuple(ev.shape), bool(ev[:, :3].isnan().any()))
