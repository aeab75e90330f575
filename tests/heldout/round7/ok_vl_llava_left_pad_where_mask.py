"""LLaVA-style multimodal LM prepared for batched generation: prompts are
LEFT-padded, image tokens are inserted after the padding, and one (B*H, L, L)
mask combines causality and padding with torch.where-style logic; every padded
slot keeps its own diagonal so no row is empty."""
import torch
import torch.nn as nn


class TinyMultimodalLM(nn.Module):
    def __init__(self, vocab=40, vis_dim=24, d=32, heads=4, layers=2, max_len=64):
        super().__init__()
        self.heads = heads
        self.mm_projector = nn.Sequential(nn.Linear(vis_dim, d), nn.GELU(), nn.Linear(d, d))
        self.embed_tokens = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.lm = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def build_inputs(self, image_feats, input_ids, attention_mask):
        # [pads][image tokens][prompt tokens]: move the left padding in front of the image
        img = self.mm_projector(image_feats)
        txt = self.embed_tokens(input_ids)
        n_pad = (attention_mask == 0).sum(1)
        rows, keeps = [], []
        for b in range(input_ids.size(0)):
            p = int(n_pad[b])
            rows.append(torch.cat([txt[b, :p], img[b], txt[b, p:]]))
            keeps.append(torch.cat([attention_mask[b, :p], torch.ones(img.size(1), dtype=attention_mask.dtype),
                                    attention_mask[b, p:]]))
        return torch.stack(rows), torch.stack(keeps)

    def forward(self, image_feats, input_ids, attention_mask):
        embeds, keep = self.build_inputs(image_feats, input_ids, attention_mask)
        B, L, _ = embeds.shape
        positions = (keep.cumsum(1) - 1).clamp(min=0)
        future = torch.ones(L, L, dtype=torch.bool).triu(1)
        blocked = torch.where(keep[:, None, :].bool(), future[None], torch.ones((), dtype=torch.bool))
        blocked = blocked & ~torch.eye(L, dtype=torch.bool)
        h = self.lm(embeds + self.pos(positions), mask=blocked.repeat_interleave(self.heads, dim=0))
        return self.lm_head(h), keep


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyMultimodalLM()
    img = torch.randn(2, 3, 24)
    ids = torch.tensor([[7, 8, 9, 10], [0, 0, 7, 8]])
    am = (ids != 0).long()
    for mode in ("train", "eval"):
        getattr(model, mode)()
        with torch.no_grad():
            logits, keep = model(img, ids, am)
            solo, _ = model(img[1:], ids[1:, 2:], am[1:, 2:])
            ids_f = ids.clone()
            ids_f[0, 3] = 20  # last prompt token of sample 0
            logits_f, _ = model(img, ids_f, am)
        assert torch.allclose(logits[1, 2:], solo[0], atol=1e-5), "left padding changed the real positions"
        assert (logits[0, :-1] - logits_f[0, :-1]).abs().max() < 1e-5, "future token leaked"
        assert not torch.isnan(logits).any()
        print(mode, "ok: causal, padding invariant, no NaN")
