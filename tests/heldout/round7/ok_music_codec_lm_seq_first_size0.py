"""Audio-token LM over neural codec codes (several residual codebooks per frame,
their embeddings summed, one output head per codebook). The backbone is an
nn.TransformerEncoder kept in the default sequence-first layout, so the
look-ahead mask is sized from dim 0 once the codes are transposed."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_Q, CARD = 3, 16  # codebooks, codebook size


class CodecLM(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.ModuleList([nn.Embedding(CARD + 1, d) for _ in range(N_Q)])  # +1: special/BOS
        self.backbone = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0), layers,
                                              enable_nested_tensor=False)
        self.heads = nn.ModuleList([nn.Linear(d, CARD) for _ in range(N_Q)])

    def forward(self, codes):
        # codes: (B, K, T) as returned by the codec
        x = sum(self.emb[k](codes[:, k]) for k in range(N_Q))  # (B, T, D)
        x = x.transpose(0, 1)  # (T, B, D) for the sequence-first backbone
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(0))
        h = self.backbone(
            x,
            mask=causal,
        )
        h = h.transpose(0, 1)
        return torch.stack([head(h) for head in self.heads], dim=1)  # (B, K, T, CARD)


def lm_loss(model, codes):
    bos = torch.full_like(codes[..., :1], CARD)
    logits = model(torch.cat([bos, codes[..., :-1]], -1))
    return F.cross_entropy(logits.reshape(-1, CARD), codes.reshape(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodecLM()
    codes = torch.randint(0, CARD, (2, N_Q, 10))
    loss = lm_loss(model, codes)
    loss.backward()
    for mode in ("train", "eval"):
        getattr(model, mode)()
        with torch.no_grad():
            a = model(codes)
            c2 = codes.clone()
            c2[:, :, 6] = (c2[:, :, 6] + 1) % CARD
            b = model(c2)
        assert (a[:, :, :6] - b[:, :, :6]).abs().max() < 1e-5, "future frame leaked"
        assert not torch.isnan(a).any()
        print(mode, "ok: causal over frames")
