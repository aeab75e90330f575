"""RLHF reward model: a causal transformer backbone (built from
nn.TransformerEncoder + a causal mask) with a scalar value head read at the
last non-padding token; trained with the Bradley-Terry pairwise loss on
(chosen, rejected) completions."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RewardModel(nn.Module):
    def __init__(self, vocab=500, dim=64, heads=4, layers=2, ctx=128, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(ctx, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.backbone = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.v_head = nn.Linear(dim, 1)
        self.register_buffer("causal", torch.tril(torch.ones(ctx, ctx, dtype=torch.bool)), persistent=False)

    def forward(self, input_ids):
        B, L = input_ids.shape
        pad = input_ids.eq(self.pad_id)
        h = self.tok(input_ids) + self.pos(torch.arange(L, device=input_ids.device))
        h = self.backbone(
            h,
            mask=self.causal[:L, :L],  # expect: ML101
            src_key_padding_mask=pad,
        )
        last = (~pad).sum(1) - 1  # right padding
        return self.v_head(h[torch.arange(B), last]).squeeze(-1)


def pairwise_loss(model, chosen, rejected):
    r_c, r_r = model(chosen), model(rejected)
    return -F.logsigmoid(r_c - r_r).mean(), r_c, r_r


if __name__ == "__main__":
    torch.manual_seed(0)
    rm = RewardModel()
    chosen = torch.randint(1, 500, (2, 12))
    rejected = torch.randint(1, 500, (2, 12))
    rejected[0, 9:] = 0
    loss, r_c, r_r = pairwise_loss(rm, chosen, rejected)
    print("loss", loss.item(), "| chosen rewards", r_c.tolist(), "| rejected", r_r.tolist())
    rm.eval()
    with torch.no_grad():
        a = rm(chosen)
        prefix_edit = chosen.clone()
        prefix_edit[:, 0] = (chosen[:, 0] % 499) + 1  # change the first prompt token
        b = rm(prefix_edit)
    print("reward change after editing token 0 (should be non-zero):", (a - b).abs().tolist())
    assert torch.isnan(torch.stack([a, b])).any() or torch.isnan(loss) or (a - b).abs().max() == 0
    print("FAILURE SHOWN: the last token can see no earlier token")
