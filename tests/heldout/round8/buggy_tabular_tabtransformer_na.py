"""TabTransformer: contextual embeddings for categorical columns.

Some categorical columns are "not applicable" for some rows (e.g. `employer`
for unemployed applicants); those cells get the reserved index 0 and should be
invisible to the other columns during attention."""
import torch
import torch.nn as nn

NA = 0


class TabTransformer(nn.Module):
    def __init__(self, cardinalities=(5, 9, 4, 12), n_cont=3, dim=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.offsets = torch.tensor([0] + list(torch.tensor(cardinalities).cumsum(0)[:-1]))
        self.cat_emb = nn.Embedding(int(sum(cardinalities)), dim)
        self.col_emb = nn.Parameter(torch.randn(len(cardinalities), dim) * 0.1)
        self.layers = nn.ModuleList(
            nn.ModuleDict(
                dict(
                    attn=nn.MultiheadAttention(dim, heads, batch_first=True),
                    ln1=nn.LayerNorm(dim),
                    ff=nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)),
                    ln2=nn.LayerNorm(dim),
                )
            )
            for _ in range(depth)
        )
        self.cont_norm = nn.LayerNorm(n_cont)
        self.mlp = nn.Sequential(nn.Linear(len(cardinalities) * dim + n_cont, 64), nn.ReLU(), nn.Linear(64, 1))

    def column_mask(self, x_cat):
        C = x_cat.size(1)
        applicable = (x_cat != NA).float()  # (B, C)
        return applicable[:, None, :].expand(-1, C, -1).repeat_interleave(self.heads, dim=0)

    def forward(self, x_cat, x_cont):
        h = self.cat_emb(x_cat + self.offsets) + self.col_emb
        mask = self.column_mask(x_cat)
        for layer in self.layers:
            a = layer["attn"](
                h, h, h,
                attn_mask=mask,  # expect: ML202
                need_weights=False,
            )[0]
            h = layer["ln1"](h + a)
            h = layer["ln2"](h + layer["ff"](h))
        app = (x_cat != NA).unsqueeze(-1).to(h.dtype)
        z = torch.cat([(h * app).flatten(1), self.cont_norm(x_cont)], dim=1)
        return self.mlp(z).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TabTransformer().eval()
    x_cat = torch.stack([torch.randint(1, c, (6,)) for c in (5, 9, 4, 12)], 1)
    x_cat[0, 1] = NA
    x_cat[3, [0, 2]] = NA
    x_cont = torch.randn(6, 3)
    with torch.no_grad():
        a = model(x_cat, x_cont)
        # the NA embeddings are meaningless; retraining re-initialises them arbitrarily
        for off in model.offsets.tolist():
            model.cat_emb.weight[off].normal_()
        b = model(x_cat, x_cont)
    d = (a - b).abs()
    print("per-row prediction change after perturbing only the N/A embeddings:", d.tolist())
    assert d[0] > 1e-4 or d[3] > 1e-4
    print("FAILURE SHOWN: N/A cells still contribute through attention")
